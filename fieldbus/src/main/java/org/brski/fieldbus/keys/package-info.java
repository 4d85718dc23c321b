/**
 * The domain side of fieldbus keys, shared by the registrar (domain key service) and the pledge (commissioning tool):
 * machine keys derived from a master ({@link org.brski.fieldbus.keys.DomainKeyDerivation}), RFC 6031 symmetric key
 * packages ({@link org.brski.fieldbus.keys.SymmetricKeyPackage}) and their CMS EnvelopedData form
 * ({@link org.brski.fieldbus.keys.KeyPackageCms}).
 */
package org.brski.fieldbus.keys;

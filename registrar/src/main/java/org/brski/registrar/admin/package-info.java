/**
 * Operator actions (RFC 8995 sections 5.3, 5.8.3): trusting and distrusting manufacturers, approving and denying
 * devices, showing devices with their telemetry and audit verdicts, and on-demand audits. The same
 * {@link org.brski.registrar.admin.AdminService} backs the CLI and the admin REST API (JSON, separate port, admin
 * client-certificate authentication).
 */
package org.brski.registrar.admin;

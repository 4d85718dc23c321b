/**
 * The BRSKI pledge (RFC 8995): {@link org.brski.pledge.Pledge} onboards a device with its IDevID (voucher-request,
 * voucher verification, registrar authentication against the pinned-domain-cert, status telemetry, EST enrollment)
 * and re-enrolls its LDevID; {@link org.brski.pledge.OnboardingResult} is the state it keeps;
 * {@link org.brski.pledge.PledgeOptions} bounds every wait; failures are {@link org.brski.pledge.PledgeException}s
 * naming a {@link org.brski.pledge.Step} and a reason.
 */
package org.brski.pledge;

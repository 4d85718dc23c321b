package org.brski.pledge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.brski.pledge.PledgeOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options {@code brski pledge onboard} and {@code reenroll} share, as a device operator types them. */
class ExchangeOptionsTest {
    private static PledgeOptions parse(String... args) {
        PledgeCommand.Reenroll command = new PledgeCommand.Reenroll();
        String[] all = new String[args.length + 2];
        all[0] = "--state";
        all[1] = "state";
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(command).parseArgs(all);
        return command.exchange.toOptions(new PrintWriter(new StringWriter()));
    }

    @Test
    void noncelessVouchersFollowTheClockUnlessSaidOtherwise() {
        assertTrue(parse().acceptNoncelessVouchers(), "a trusted clock can check expires-on");
        assertFalse(parse("--no-clock").acceptNoncelessVouchers(), "without a clock an old voucher could be replayed");
        assertTrue(parse("--no-clock", "--accept-nonceless").acceptNoncelessVouchers());
        assertFalse(parse("--no-accept-nonceless").acceptNoncelessVouchers());
    }

    @Test
    void timeoutAndClockReachThePledgeOptions() {
        PledgeOptions options = parse("--timeout", "7", "--no-clock");
        assertEquals(Duration.ofSeconds(7), options.exchangeTimeout());
        assertFalse(options.trustedClock());
    }

    @Test
    void anOutOfRangeTimeoutIsRefusedBeforeAnyExchange() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new PledgeCommand()).setErr(new PrintWriter(err))
                .execute("reenroll", "--state", "nowhere", "--timeout", "0");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--timeout must be between 1 and 3600"), err.toString());
    }
}

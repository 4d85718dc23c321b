package org.brski.cli.fieldbus;

import java.nio.file.Path;
import java.util.Optional;

import org.brski.fieldbus.canopen.CanBus;
import org.brski.fieldbus.node.SessionProfile;

import picocli.CommandLine.Option;

/** The simulated machine's bus and session profile, shared by every {@code brski fieldbus} command (a mixin). */
public final class BusOptions {
    /** Bus kinds on the command line. */
    public enum Kind {
        /** Classical CAN, 8 data bytes per frame. */
        CAN,
        /** CAN FD, up to 64 data bytes per frame. */
        CANFD
    }

    @Option(names = "--bus", defaultValue = "can", paramLabel = "can|canfd",
            description = "Classical CAN (8-byte frames) or CAN FD (64-byte frames) (default: ${DEFAULT-VALUE}).")
    Kind bus;

    @Option(names = "--bitrate", defaultValue = "500000", paramLabel = "BPS",
            description = "(Nominal) bitrate in bit/s (default: ${DEFAULT-VALUE}).")
    long bitrate;

    @Option(names = "--data-bitrate", paramLabel = "BPS",
            description = "CAN FD data-phase bitrate in bit/s (default: the --bitrate, i.e. no bit-rate switch).")
    Long dataBitrate;

    @Option(names = "--tag-bits", defaultValue = "64", paramLabel = "T",
            description = "AES-GCM tag length of secure messages: 32, 48, 64 or 128 (default: ${DEFAULT-VALUE}).")
    int tagBits;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures and per-node results as JSON.")
    Path json;

    @Option(names = "--frames", description = "Print every CAN frame (identifier and data) as it is sent.")
    boolean frames;

    /** Classical CAN at 500 kbit/s, 64-bit tags: what {@code brski demo} uses. */
    public static BusOptions defaults() {
        BusOptions options = new BusOptions();
        options.bus = Kind.CAN;
        options.bitrate = 500_000;
        options.tagBits = 64;
        return options;
    }

    /** What is wrong with these options, or empty. */
    public Optional<String> problem() {
        if (bitrate < 10_000 || bitrate > 1_000_000) {
            return Optional.of("--bitrate must be 10000..1000000 bit/s (CAN nominal rates)");
        }
        if (dataBitrate != null && (bus != Kind.CANFD || dataBitrate < bitrate || dataBitrate > 8_000_000)) {
            return Optional.of("--data-bitrate needs --bus canfd and must be --bitrate..8000000 bit/s");
        }
        if (tagBits != 32 && tagBits != 48 && tagBits != 64 && tagBits != 128) {
            return Optional.of("--tag-bits must be 32, 48, 64 or 128 (EmSA WP-104 5)");
        }
        return Optional.empty();
    }

    /** A fresh bus with these parameters (worst-case bit stuffing). */
    public CanBus newBus() {
        return bus == Kind.CAN ? CanBus.classic(bitrate) : CanBus.fd(bitrate, dataBitrate == null ? bitrate : dataBitrate);
    }

    /** The session profile the nodes and the commissioning tool share (per-node key separation on). */
    public SessionProfile profile() {
        return SessionProfile.of(tagBits, true);
    }

    /** E.g. {@code CAN FD 500 kbit/s / 2000 kbit/s}. */
    public String describe() {
        if (bus == Kind.CAN) {
            return "classical CAN " + bitrate / 1000 + " kbit/s";
        }
        long data = dataBitrate == null ? bitrate : dataBitrate;
        return "CAN FD " + bitrate / 1000 + " kbit/s" + (data == bitrate ? " (no bit-rate switch)"
                : " / data " + data / 1000 + " kbit/s");
    }
}

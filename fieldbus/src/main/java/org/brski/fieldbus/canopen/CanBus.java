package org.brski.fieldbus.canopen;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * An in-process CAN or CAN FD bus (the machine has no {@code vcan}): frames are delivered synchronously to the
 * receivers attached to their identifier, and every frame's bits and bus time are accounted with {@link FrameTiming}
 * (worst-case stuffing unless configured otherwise). Arbitration, errors and acknowledgement are not modelled: frames
 * go on the bus in the order they are sent, back to back.
 *
 * <p>A frame sent from inside a receiver is queued and delivered after the current delivery, in order, so a
 * request/response exchange completes within the outer {@link #send} without recursion. A classical bus refuses CAN
 * FD frames (a CAN 2.0 controller would destroy them with error frames, ISO 11898-1:2015 10.4.2.3); a CAN FD bus
 * carries both formats, as FD controllers do.
 *
 * <p>Thread-safety: {@link #send} holds a lock for the whole delivery, so concurrent senders are serialized and
 * receivers run one frame at a time; receivers run on the sending thread and may send, attach and detach.
 */
public final class CanBus {
    /** Detaches a receiver or observer; closing twice is harmless. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** ISO 11898-2 limits the arbitration phase to 1 Mbit/s. */
    private static final long MAX_NOMINAL_BITRATE = 1_000_000L;

    private final BusKind kind;
    private final long nominalBitrate;
    private final long dataBitrate;
    private final boolean worstCaseStuffing;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, List<Consumer<CanFrame>>> receivers = new HashMap<>();
    private final List<Consumer<CanFrame>> observers = new CopyOnWriteArrayList<>();
    private final ArrayDeque<CanFrame> pending = new ArrayDeque<>();
    private boolean delivering;
    private long frames;
    private long frameBytes;
    private long nominalBits;
    private long dataBits;
    private long payloadBytes;

    private CanBus(BusKind kind, long nominalBitrate, long dataBitrate, boolean worstCaseStuffing) {
        if (nominalBitrate <= 0 || nominalBitrate > MAX_NOMINAL_BITRATE) {
            throw new IllegalArgumentException("nominal bitrate must be 1.." + MAX_NOMINAL_BITRATE + " bit/s");
        }
        if (dataBitrate < nominalBitrate) {
            throw new IllegalArgumentException("the data bitrate must not be below the nominal bitrate");
        }
        this.kind = kind;
        this.nominalBitrate = nominalBitrate;
        this.dataBitrate = dataBitrate;
        this.worstCaseStuffing = worstCaseStuffing;
    }

    /** A classical CAN bus, accounting worst-case stuffing. */
    public static CanBus classic(long bitrate) {
        return classic(bitrate, true);
    }

    /** A classical CAN bus; {@code worstCaseStuffing = false} accounts frames without dynamic stuff bits. */
    public static CanBus classic(long bitrate, boolean worstCaseStuffing) {
        return new CanBus(BusKind.CAN, bitrate, bitrate, worstCaseStuffing);
    }

    /** A CAN FD bus whose data phase runs at the nominal bitrate, accounting worst-case stuffing. */
    public static CanBus fd(long bitrate) {
        return fd(bitrate, bitrate, true);
    }

    /** A CAN FD bus (bit rate switch on), accounting worst-case stuffing. */
    public static CanBus fd(long nominalBitrate, long dataBitrate) {
        return fd(nominalBitrate, dataBitrate, true);
    }

    /** A CAN FD bus; {@code worstCaseStuffing = false} accounts frames without dynamic stuff bits. */
    public static CanBus fd(long nominalBitrate, long dataBitrate, boolean worstCaseStuffing) {
        return new CanBus(BusKind.CAN_FD, nominalBitrate, dataBitrate, worstCaseStuffing);
    }

    public BusKind kind() {
        return kind;
    }

    public long nominalBitrate() {
        return nominalBitrate;
    }

    /** The data-phase bitrate; the nominal one on a classical bus. */
    public long dataBitrate() {
        return dataBitrate;
    }

    public boolean worstCaseStuffing() {
        return worstCaseStuffing;
    }

    /** Delivers every later frame with identifier {@code cobId} to {@code receiver}. */
    public Subscription attach(int cobId, Consumer<CanFrame> receiver) {
        if (cobId < 0 || cobId > CanFrame.MAX_ID) {
            throw new IllegalArgumentException(String.format("identifier 0x%X is outside the 11-bit range", cobId));
        }
        Objects.requireNonNull(receiver, "receiver");
        lock.lock();
        try {
            receivers.computeIfAbsent(cobId, id -> new CopyOnWriteArrayList<>()).add(receiver);
        } finally {
            lock.unlock();
        }
        return () -> {
            lock.lock();
            try {
                List<Consumer<CanFrame>> list = receivers.get(cobId);
                if (list != null) {
                    list.remove(receiver);
                }
            } finally {
                lock.unlock();
            }
        };
    }

    /** Shows every frame, whatever its identifier, as it goes on the bus (before receivers see it); for tools. */
    public Subscription onFrame(Consumer<CanFrame> observer) {
        Objects.requireNonNull(observer, "observer");
        observers.add(observer);
        return () -> observers.remove(observer);
    }

    /**
     * Puts a frame on the bus: accounts it, shows it to observers and delivers it to the receivers of its identifier.
     * Called from a receiver, the frame is queued behind the current delivery and this method returns at once.
     *
     * @throws IllegalArgumentException if a classical bus is given a CAN FD frame
     */
    public void send(CanFrame frame) {
        Objects.requireNonNull(frame, "frame");
        if (kind == BusKind.CAN && frame.kind() == BusKind.CAN_FD) {
            throw new IllegalArgumentException("a classical CAN bus cannot carry CAN FD frame " + frame);
        }
        lock.lock();
        try {
            pending.addLast(frame);
            if (delivering) {
                return;
            }
            delivering = true;
            try {
                CanFrame next;
                while ((next = pending.pollFirst()) != null) {
                    transmit(next);
                }
            } finally {
                delivering = false;
                pending.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    private void transmit(CanFrame frame) {
        frames++;
        frameBytes += frame.length();
        nominalBits += FrameTiming.bitsNominal(frame, worstCaseStuffing);
        dataBits += FrameTiming.bitsData(frame, worstCaseStuffing);
        for (Consumer<CanFrame> observer : observers) {
            observer.accept(frame);
        }
        List<Consumer<CanFrame>> targets = receivers.get(frame.id());
        if (targets != null) {
            for (Consumer<CanFrame> receiver : targets) {
                receiver.accept(frame);
            }
        }
    }

    /** Records application payload bytes moved by a completed transfer (called by {@link SdoClient}). */
    public void countPayload(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("payload bytes must not be negative");
        }
        lock.lock();
        try {
            payloadBytes += bytes;
        } finally {
            lock.unlock();
        }
    }

    /** The accounting so far. */
    public BusStats stats() {
        lock.lock();
        try {
            return BusStats.of(kind, nominalBitrate, dataBitrate, frames, frameBytes, nominalBits, dataBits,
                    payloadBytes);
        } finally {
            lock.unlock();
        }
    }

    /** Sets every counter back to zero; receivers stay attached. */
    public void resetStats() {
        lock.lock();
        try {
            frames = 0;
            frameBytes = 0;
            nominalBits = 0;
            dataBits = 0;
            payloadBytes = 0;
        } finally {
            lock.unlock();
        }
    }
}

package org.brski.fieldbus.canopen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CanBusTest {
    @Test
    void deliversByIdentifier() {
        CanBus bus = CanBus.classic(500_000);
        List<CanFrame> at1 = new ArrayList<>();
        List<CanFrame> at2 = new ArrayList<>();
        bus.attach(1, at1::add);
        CanBus.Subscription second = bus.attach(2, at2::add);
        bus.send(CanFrame.classic(1, new byte[] {1}));
        bus.send(CanFrame.classic(2, new byte[] {2}));
        bus.send(CanFrame.classic(3, new byte[] {3}));
        second.close();
        bus.send(CanFrame.classic(2, new byte[] {4}));
        assertEquals(List.of(CanFrame.classic(1, new byte[] {1})), at1);
        assertEquals(List.of(CanFrame.classic(2, new byte[] {2})), at2);
        assertEquals(4, bus.stats().frames());
    }

    @Test
    void framesSentByReceiversAreQueuedInOrder() {
        CanBus bus = CanBus.classic(500_000);
        List<String> events = new ArrayList<>();
        bus.onFrame(f -> events.add("bus " + f.id()));
        bus.attach(1, f -> {
            events.add("rx1 begin");
            bus.send(CanFrame.classic(2, new byte[0]));
            bus.send(CanFrame.classic(3, new byte[0]));
            events.add("rx1 end");
        });
        bus.attach(2, f -> events.add("rx2"));
        bus.attach(3, f -> events.add("rx3"));
        bus.send(CanFrame.classic(1, new byte[0]));
        assertEquals(List.of("bus 1", "rx1 begin", "rx1 end", "bus 2", "rx2", "bus 3", "rx3"), events);
    }

    @Test
    void pingPongDoesNotRecurse() {
        CanBus bus = CanBus.classic(1_000_000);
        int rounds = 100_000;
        int[] count = {0};
        bus.attach(1, f -> {
            if (++count[0] < rounds) {
                bus.send(CanFrame.classic(1, new byte[0]));
            }
        });
        bus.send(CanFrame.classic(1, new byte[0]));
        assertEquals(rounds, count[0]);
        assertEquals(rounds, bus.stats().frames());
    }

    @Test
    void accountsBitsAndTime() {
        CanBus bus = CanBus.classic(500_000);
        bus.send(CanFrame.classic(1, new byte[8]));
        bus.send(CanFrame.classic(1, new byte[0]));
        BusStats stats = bus.stats();
        assertEquals(2, stats.frames());
        assertEquals(135 + 55, stats.totalBits());
        assertEquals(380_000, stats.busTimeNanos());
        assertEquals(0.38, stats.busTimeMillis(), 1e-12);
        bus.resetStats();
        assertEquals(0, bus.stats().frames());
        assertEquals(0, bus.stats().busTimeNanos());

        CanBus unstuffed = CanBus.classic(500_000, false);
        unstuffed.send(CanFrame.classic(1, new byte[8]));
        assertEquals(111, unstuffed.stats().totalBits());

        CanBus single = CanBus.fd(500_000);
        single.send(CanFrame.fd(1, new byte[64]));
        assertEquals(712 * 2_000, single.stats().busTimeNanos());

        CanBus fd = CanBus.fd(500_000, 2_000_000);
        fd.send(CanFrame.fd(1, new byte[64]));
        assertEquals(405_500, fd.stats().busTimeNanos());
        assertEquals(33, fd.stats().nominalBits());
        assertEquals(679, fd.stats().dataBits());
    }

    @Test
    void aFailingReceiverDropsQueuedFramesAndLeavesTheBusUsable() {
        CanBus bus = CanBus.classic(500_000);
        List<Integer> seen = new ArrayList<>();
        bus.attach(1, f -> {
            bus.send(CanFrame.classic(2, new byte[0]));
            throw new IllegalStateException("receiver bug");
        });
        bus.attach(2, f -> seen.add(2));
        assertThrows(IllegalStateException.class, () -> bus.send(CanFrame.classic(1, new byte[0])));
        assertEquals(List.of(), seen);
        bus.send(CanFrame.classic(2, new byte[0]));
        assertEquals(List.of(2), seen);
    }

    @Test
    void refusesImpossibleBitrates() {
        assertThrows(IllegalArgumentException.class, () -> CanBus.classic(0));
        assertThrows(IllegalArgumentException.class, () -> CanBus.classic(2_000_000));
        assertThrows(IllegalArgumentException.class, () -> CanBus.fd(500_000, 250_000));
        assertThrows(IllegalArgumentException.class, () -> CanBus.classic(500_000).countPayload(-1));
    }

    @Test
    void concurrentSendsAreSerialized() throws Exception {
        CanBus bus = CanBus.classic(1_000_000);
        int[] received = {0};
        bus.attach(7, f -> received[0]++);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        bus.send(CanFrame.classic(7, new byte[1]));
                        bus.countPayload(1);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(20_000, received[0]);
        assertEquals(20_000, bus.stats().frames());
        assertEquals(20_000, bus.stats().payloadBytes());
        assertEquals(20_000L * 65, bus.stats().totalBits());
    }
}

package org.brski.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar cli/target/brski.jar ...} as a separate process, its stdout read line by line and stderr kept for
 * failure messages. Every wait is bounded; {@link #close()} destroys the process (and waits for it) if still alive.
 */
final class CliProcess implements AutoCloseable {
    /** The shaded jar the reactor built before this module's tests, found relative to the e2e module. */
    static final Path JAR = Path.of("..", "cli", "target", "brski.jar").toAbsolutePath().normalize();

    private final List<String> command;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;

    private CliProcess(List<String> command, Path workDir) throws IOException {
        this.command = command;
        this.process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        this.outReader = reader(new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)), stdout, true);
        this.errReader = reader(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8)), stderr, false);
    }

    /** Starts {@code brski ARGS} in {@code workDir}. */
    static CliProcess start(Path workDir, String... args) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: build the cli module first (mvn -pl cli,e2e verify)");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new CliProcess(command, workDir);
    }

    /** Runs {@code brski ARGS} to completion (at most {@code seconds}) and returns it for its exit code and output. */
    static CliProcess run(Path workDir, int seconds, String... args) throws IOException, InterruptedException {
        CliProcess p = start(workDir, args);
        p.await(seconds);
        return p;
    }

    private Thread reader(BufferedReader in, StringBuffer into, boolean queue) {
        Thread t = new Thread(() -> {
            try (in) {
                String line;
                while ((line = in.readLine()) != null) {
                    into.append(line).append('\n');
                    if (queue) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                into.append("[read failed: ").append(e).append("]\n");
            }
        }, "cli-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits (bounded) for a stdout line matching {@code regex}; returns the match. */
    Matcher awaitLine(String regex, int seconds) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                fail("no line matching /" + regex + "/ from " + this + " within " + seconds + " s (alive: "
                        + process.isAlive() + ")\n" + output());
            }
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
    }

    /** Waits (bounded) for the process to exit and for its output to be read completely. */
    int await(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(this + " did not finish within " + seconds + " s\n" + output());
        }
        outReader.join(TimeUnit.SECONDS.toMillis(10));
        errReader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /** Asserts exit code 0, showing the output otherwise; returns stdout. */
    String assertSuccess() {
        assertTrue(!process.isAlive() && process.exitValue() == 0, this + " failed\n" + output());
        return stdout.toString();
    }

    int exitValue() {
        return process.exitValue();
    }

    String stdout() {
        return stdout.toString();
    }

    String output() {
        return "--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed; waits (bounded) until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String toString() {
        return "brski " + String.join(" ", command.subList(command.indexOf("-jar") + 2, command.size()));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package org.brski.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help summary (the first description line, which {@code brski --help} and each parent's command
 * list print) is whole sentences: picocli shows only the first element of a description array, so a sentence split
 * across elements is cut mid-way ("with C threads after a").
 */
class HelpSummaryTest {

    @Test
    void everySummaryIsWholeSentences() {
        List<String> bad = new ArrayList<>();
        collect(new CommandLine(new Main()), bad);
        assertTrue(bad.isEmpty(), "help summaries that are not whole sentences:\n" + String.join("\n", bad));
    }

    private static void collect(CommandLine command, List<String> bad) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        if (!(spec.userObject() instanceof CommandLine.HelpCommand)) {
            String[] description = spec.usageMessage().description();
            String summary = description.length == 0 ? "" : description[0].strip();
            boolean whole = !summary.isEmpty() && Character.isUpperCase(summary.codePointAt(0))
                    && summary.endsWith(".");
            boolean continued = description.length > 1 && !description[1].isBlank()
                    && Character.isLowerCase(description[1].strip().codePointAt(0));
            if (!whole || continued) {
                bad.add("  " + spec.qualifiedName() + ": \"" + summary + "\"");
            }
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, bad));
    }
}

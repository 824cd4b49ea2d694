package io.sagashop.systemtests;

import io.sagashop.devstack.Devstack;
import io.sagashop.devstack.chaos.Chaos;
import io.sagashop.devstack.chaos.ChaosReport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short {@code ./sagashop chaos}: 240 orders at 2/s (a cold stack on two cores) while every kind of fault happens at
 * least once, then every invariant against the services and the providers' own books. Goodput is printed, not asserted.
 */
class ChaosIT {

    @Test
    void aShortChaosRunBreaksNoInvariant() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chaos-it-");
        try (Devstack stack = Devstack.start(Devstack.Options.defaults(SystemTests.ROOT).dataDir(data).portOffset(17000))) {
            Chaos.Options options = Chaos.options(240, 2, 42, Set.copyOf(EnumSet.allOf(io.sagashop.devstack.chaos.ChaosFaults.Kind.class)), data);
            ChaosReport report = Chaos.run(stack, options);
            report.print(System.out);
            report.write(data);

            assertEquals(Set.copyOf(EnumSet.allOf(io.sagashop.devstack.chaos.ChaosFaults.Kind.class)),
                    report.faults().stream().map(f -> f.kind()).collect(Collectors.toSet()), "every kind of fault happened");
            assertTrue(report.violations().isEmpty(), () -> "violations: " + report.violations());
            assertEquals(0, report.notTerminal());
        }
    }
}

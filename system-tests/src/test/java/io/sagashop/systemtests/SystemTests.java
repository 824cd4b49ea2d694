package io.sagashop.systemtests;

import io.sagashop.devstack.Devstack;

import java.nio.file.Path;
import java.util.Map;

/** Shared settings of the system tests. */
final class SystemTests {

    /** The project root (set by Maven; the module folder's parent otherwise). */
    static final Path ROOT = Path.of(System.getProperty("sagashop.root", "..")).toAbsolutePath().normalize();

    private SystemTests() {
    }

    static Devstack.Options options(Path dataDir, int portOffset) {
        return Devstack.Options.defaults(ROOT).dataDir(dataDir).portOffset(portOffset).serviceEnv(Map.of());
    }
}

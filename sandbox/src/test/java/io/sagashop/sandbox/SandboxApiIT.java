package io.sagashop.sandbox;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SandboxApiTest} against the packaged application (the jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class SandboxApiIT extends SandboxApiTest {
}

package io.sagashop.systemtests;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native-safe by construction: Quarkus registers for reflection the types a resource method declares, so a body typed
 * {@code Object} (or a raw {@code Response}) would be serialised empty, or fail, in a native executable. Every endpoint
 * of every application declares what it answers.
 */
class TypedResponsesTest {

    private static final List<String> APPS = List.of("order", "inventory", "payment", "shipping", "read-model", "sandbox", "platform");
    private static final Set<DotName> HTTP_METHODS = Stream.of("GET", "POST", "PUT", "DELETE", "PATCH")
            .map(m -> DotName.createSimple("jakarta.ws.rs." + m)).collect(java.util.stream.Collectors.toSet());
    private static final Set<DotName> UNTYPED = Set.of(DotName.createSimple(Object.class.getName()),
            DotName.createSimple("jakarta.ws.rs.core.Response"));

    @Test
    void everyEndpointDeclaresTheTypeOfItsBody() throws IOException {
        List<String> untyped = new ArrayList<>();
        int endpoints = 0;
        for (String app : APPS) {
            Index index = index(SystemTests.ROOT.resolve(app).resolve("target/classes"));
            for (DotName method : HTTP_METHODS) {
                for (AnnotationInstance annotation : index.getAnnotations(method)) {
                    if (annotation.target().kind() != org.jboss.jandex.AnnotationTarget.Kind.METHOD) {
                        continue;
                    }
                    MethodInfo m = annotation.target().asMethod();
                    endpoints++;
                    if (!typed(m.returnType())) {
                        untyped.add(app + ": " + m.declaringClass().name() + "." + m.name() + " returns " + m.returnType());
                    }
                }
            }
        }
        assertTrue(endpoints > 30, "found the endpoints (" + endpoints + "); are the applications compiled?");
        assertEquals(List.of(), untyped, "declare the body type (RestResponse<View>, Uni<List<View>>, ...)");
    }

    @Test
    void anObjectBodyIsCaught() {
        Type object = Type.create(DotName.createSimple(Object.class.getName()), Type.Kind.CLASS);
        Type restResponse = org.jboss.jandex.ParameterizedType.create(DotName.createSimple("org.jboss.resteasy.reactive.RestResponse"),
                new Type[]{object}, null);
        Type uni = org.jboss.jandex.ParameterizedType.create(DotName.createSimple("io.smallrye.mutiny.Uni"),
                new Type[]{restResponse}, null);
        assertTrue(!typed(uni) && !typed(object) && !typed(Type.create(DotName.createSimple("org.jboss.resteasy.reactive.RestResponse"), Type.Kind.CLASS)));
    }

    /** No Object, raw Response, wildcard, type variable or raw generic container anywhere in the declared type. */
    static boolean typed(Type type) {
        return switch (type.kind()) {
            case VOID, PRIMITIVE -> true;
            case CLASS -> !UNTYPED.contains(type.name()) && !GENERIC.contains(type.name().toString());
            case ARRAY -> typed(type.asArrayType().constituent());
            case PARAMETERIZED_TYPE -> !UNTYPED.contains(type.name())
                    && type.asParameterizedType().arguments().stream().allMatch(TypedResponsesTest::typed);
            default -> false; // wildcards, type variables
        };
    }

    /** Containers that say nothing about their content when raw. */
    private static final Set<String> GENERIC = Set.of("org.jboss.resteasy.reactive.RestResponse", "io.smallrye.mutiny.Uni",
            "io.smallrye.mutiny.Multi", "java.util.List", "java.util.Map", "java.util.Set", "java.util.concurrent.CompletionStage");

    private static Index index(Path classes) throws IOException {
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        return indexer.complete();
    }
}

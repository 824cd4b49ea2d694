package io.sagashop.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The kind overlay as a live API server and the applications would judge it: rendered ({@code kubectl kustomize}
 * when installed, else {@link MiniKustomize}), every object validated against the strict Kubernetes 1.34 schemas,
 * plus what only a cluster would notice — names, selectors, references, probes — and whether every setting a
 * service reads in the {@code kubernetes} profile is provided.
 */
class KubernetesManifestsTest {

    static final Path ROOT = Path.of(System.getProperty("sagashop.root", "..")).toAbsolutePath().normalize();
    static final Path OVERLAY = ROOT.resolve("kubernetes/overlays/kind");
    static final Path SCHEMAS = ROOT.resolve("kubernetes/schemas/v1.34");
    static final YAMLMapper YAML = new YAMLMapper();
    static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** The applications: workload name = Maven module = the service. */
    static final List<String> APPS = List.of("order", "inventory", "payment", "shipping", "read-model", "sandbox");
    /** The saga services: StatefulSets, so that a pod's name, hence its Kafka static member id, outlives the pod. */
    static final List<String> SAGA_SERVICES = List.of("order", "inventory", "payment", "shipping", "read-model");

    static List<ObjectNode> objects;

    @BeforeAll
    static void render() throws Exception {
        objects = MiniKustomize.render(OVERLAY);
        assertFalse(objects.isEmpty());
    }

    @Test
    void theJavaRendererMatchesKubectlWhereKubectlIsInstalled() throws Exception {
        Optional<List<ObjectNode>> kubectl = kubectlKustomize(OVERLAY);
        if (kubectl.isEmpty()) {
            System.out.println("kubectl not installed: the manifests were rendered by MiniKustomize only");
            return;
        }
        Map<String, JsonNode> expected = byKey(kubectl.get());
        Map<String, JsonNode> actual = byKey(objects);
        assertEquals(expected.keySet(), actual.keySet(), "the same objects");
        expected.forEach((key, object) -> assertEquals("", firstDifference("", object, actual.get(key)),
                "MiniKustomize renders " + key + " as kubectl kustomize does"));
    }

    @Test
    void everyObjectIsValidForTheKubernetes134Schemas() throws IOException {
        for (ObjectNode o : objects) {
            Path schemaFile = SCHEMAS.resolve(schemaName(o));
            assertTrue(Files.exists(schemaFile), "a schema for " + key(o) + ": " + schemaFile.getFileName());
            Set<ValidationMessage> errors = schema(schemaName(o)).validate(o);
            assertTrue(errors.isEmpty(), key(o) + " is invalid: " + errors);
        }
    }

    @Test
    void theSchemasAreStrictSoAMisspeltFieldFails() throws IOException {
        for (ObjectNode workload : List.of(find("StatefulSet", "order"), find("Deployment", "sandbox"))) {
            ObjectNode misspelt = workload.deepCopy();
            ((ObjectNode) misspelt.path("spec").path("template").path("spec").path("containers").get(0)).put("imagePullPolcy", "Always");
            assertFalse(schema(schemaName(misspelt)).validate(misspelt).isEmpty(), key(workload));
        }
    }

    @Test
    void namesAreDns1123AndEverythingIsInTheSagashopNamespace() {
        for (ObjectNode o : objects) {
            String name = o.path("metadata").path("name").asText();
            Pattern rule = Set.of("Namespace", "Service").contains(o.path("kind").asText()) ? DNS_1123_LABEL : DNS_1123_SUBDOMAIN;
            assertTrue(rule.matcher(name).matches() && name.length() <= 63, "name of " + key(o));
            if (!o.path("kind").asText().equals("Namespace")) {
                assertEquals("sagashop", o.path("metadata").path("namespace").asText(), "namespace of " + key(o));
            }
            for (JsonNode c : containers(o)) {
                assertTrue(DNS_1123_LABEL.matcher(c.path("name").asText()).matches(), "container name in " + key(o));
                for (JsonNode port : c.path("ports")) {
                    if (port.has("name")) {
                        assertTrue(port.path("name").asText().length() <= 15, "port name length in " + key(o));
                    }
                }
            }
        }
    }

    @Test
    void workloadSelectorsMatchTheirPodsAndEveryServiceSelectsAWorkloadPort() {
        for (ObjectNode w : workloads()) {
            Map<String, String> template = labels(w.path("spec").path("template").path("metadata").path("labels"));
            assertTrue(template.entrySet().containsAll(labels(w.path("spec").path("selector").path("matchLabels")).entrySet()),
                    "selector of " + key(w) + " matches its pod template");
        }
        for (ObjectNode s : ofKind("Service")) {
            Map<String, String> selector = labels(s.path("spec").path("selector"));
            List<ObjectNode> selected = workloads().stream().filter(w -> labels(w.path("spec").path("template")
                    .path("metadata").path("labels")).entrySet().containsAll(selector.entrySet())).toList();
            assertFalse(selector.isEmpty() || selected.isEmpty(), key(s) + " selects a workload");
            for (JsonNode port : s.path("spec").path("ports")) {
                JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                for (ObjectNode w : selected) {
                    assertTrue(containers(w).stream().flatMap(c -> stream(c.path("ports")))
                                    .anyMatch(p -> target.isTextual() ? target.asText().equals(p.path("name").asText())
                                            : target.asInt() == p.path("containerPort").asInt()),
                            key(s) + " port " + target + " exists in " + key(w));
                }
            }
        }
        for (ObjectNode sts : ofKind("StatefulSet")) {
            find("Service", sts.path("spec").path("serviceName").asText());
        }
    }

    @Test
    void everyReferencedConfigMapSecretAndServiceExists() {
        for (ObjectNode w : workloads()) {
            for (JsonNode c : containers(w)) {
                for (JsonNode from : c.path("envFrom")) {
                    if (from.has("configMapRef")) {
                        find("ConfigMap", from.path("configMapRef").path("name").asText());
                    }
                    if (from.has("secretRef")) {
                        find("Secret", from.path("secretRef").path("name").asText());
                    }
                }
                for (JsonNode env : c.path("env")) {
                    JsonNode ref = env.path("valueFrom");
                    if (ref.has("secretKeyRef")) {
                        assertTrue(data(find("Secret", ref.path("secretKeyRef").path("name").asText()))
                                .contains(ref.path("secretKeyRef").path("key").asText()), "secret key of " + env);
                    }
                    if (ref.has("configMapKeyRef")) {
                        assertTrue(data(find("ConfigMap", ref.path("configMapKeyRef").path("name").asText()))
                                .contains(ref.path("configMapKeyRef").path("key").asText()), "config key of " + env);
                    }
                }
            }
            for (JsonNode volume : w.path("spec").path("template").path("spec").path("volumes")) {
                if (volume.has("configMap")) {
                    find("ConfigMap", volume.path("configMap").path("name").asText());
                }
                if (volume.has("secret")) {
                    find("Secret", volume.path("secret").path("secretName").asText());
                }
            }
        }
        ObjectNode ingress = find("Ingress", "sagashop");
        Set<String> paths = new TreeSet<>();
        for (JsonNode rule : ingress.path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                paths.add(path.path("path").asText());
                JsonNode backend = path.path("backend").path("service");
                ObjectNode service = find("Service", backend.path("name").asText());
                assertTrue(stream(service.path("spec").path("ports")).anyMatch(p -> p.path("port").asInt() == backend.path("port").path("number").asInt()),
                        "ingress backend port " + backend);
            }
        }
        assertTrue(paths.containsAll(List.of("/orders", "/products", "/payments", "/shipments", "/views", "/")), "gateway routes: " + paths);
    }

    @Test
    void theIngressRoutesThePublicApiAndTheDashboardOnlyNeverMetricsOpenApiOrAdmin() {
        Map<String, String> routes = new java.util.TreeMap<>();
        for (ObjectNode ingress : ofKind("Ingress")) {
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                for (JsonNode p : rule.path("http").path("paths")) {
                    routes.put(p.path("path").asText(), p.path("pathType").asText());
                }
            }
        }
        assertEquals(Map.of("/", "Exact", "/dashboard", "Prefix", "/orders", "Prefix", "/products", "Prefix", "/payments", "Prefix",
                "/shipments", "Prefix", "/views", "Prefix"), routes);
    }

    @Test
    void everyServiceVerifiesTokensWithTheMountedPublicKey() {
        assertEquals("/etc/sagashop/jwt/public.pem", String.join("", dataValues(find("ConfigMap", "sagashop-config"),
                "SAGASHOP_JWT_PUBLIC_KEY_LOCATION")));
        for (String app : APPS) {
            if (app.equals("sandbox")) {
                continue;
            }
            assertEquals("sagashop-jwt", secretMountedAt(workload(app), "/etc/sagashop/jwt"), app);
        }
        find("Secret", "sagashop-jwt");
    }

    @Test
    void onlyOrderAndPaymentMountThePaymentTokenKey() {
        assertEquals("/etc/sagashop/payment-token/payment-token.key", String.join("", dataValues(find("ConfigMap", "sagashop-config"),
                "SAGASHOP_PAYMENT_TOKEN_KEY_LOCATION")));
        for (String app : APPS) {
            String secret = secretMountedAt(workload(app), "/etc/sagashop/payment-token");
            assertEquals(app.equals("order") || app.equals("payment") ? "sagashop-payment-token" : null, secret, app);
        }
        assertEquals(32, java.util.Base64.getDecoder().decode(find("Secret", "sagashop-payment-token").path("stringData")
                .path("payment-token.key").asText().strip()).length, "a 256-bit key");
    }

    /** The name of the Secret mounted at the path in the workload's first container, or null. */
    private static String secretMountedAt(ObjectNode workload, String path) {
        return stream(containers(workload).get(0).path("volumeMounts"))
                .filter(m -> m.path("mountPath").asText().equals(path)).findFirst()
                .flatMap(mount -> stream(workload.path("spec").path("template").path("spec").path("volumes"))
                        .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst())
                .map(volume -> volume.path("secret").path("secretName").asText(null))
                .orElse(null);
    }

    @Test
    void everySagaServiceRunsTwoInstancesEachItsOwnKafkaStaticMember() {
        for (String app : APPS) {
            ObjectNode workload = workload(app);
            // The sandbox keeps the providers' books in memory: one instance.
            assertEquals(app.equals("sandbox") ? 1 : 2, workload.path("spec").path("replicas").asInt(), "replicas of " + app);
            if (!app.equals("sandbox")) {
                assertEquals("metadata.name", instanceFieldPath(workload), "the instance id of " + app + " is its pod's name");
            }
        }
    }

    @Test
    void sagaServicesAreStatefulSetsSoAReplacedPodKeepsItsStaticMemberId() {
        // A Deployment's replacement pod gets a new random name, hence a new static member id: the old member's
        // partitions would wait for the session timeout. A StatefulSet's replacement has the old pod's name.
        for (String app : SAGA_SERVICES) {
            ObjectNode statefulSet = find("StatefulSet", app);
            assertTrue(ofKind("Deployment").stream().noneMatch(d -> app.equals(d.path("metadata").path("name").asText())),
                    app + " is not also a Deployment");
            assertEquals("Parallel", statefulSet.path("spec").path("podManagementPolicy").asText(),
                    app + " starts its pods all at once, like a Deployment");
            assertEquals(app, statefulSet.path("spec").path("serviceName").asText(), "the governing Service of " + app);
            assertEquals("metadata.name", instanceFieldPath(statefulSet), "the instance id of " + app + " is its stable pod name");
        }
    }

    /** The fieldRef path SAGASHOP_INSTANCE comes from in the workload's first container ("" when not a fieldRef). */
    private static String instanceFieldPath(ObjectNode workload) {
        return stream(containers(workload).get(0).path("env"))
                .filter(e -> e.path("name").asText().equals("SAGASHOP_INSTANCE")).findFirst()
                .orElseThrow(() -> new AssertionError("no SAGASHOP_INSTANCE in " + key(workload)))
                .path("valueFrom").path("fieldRef").path("fieldPath").asText();
    }

    @Test
    void appsAreTaggedImagesProbedOnTheirHealthEndpointsAtTheirHttpPort() throws IOException {
        for (String app : APPS) {
            JsonNode c = containers(workload(app)).get(0);
            String image = c.path("image").asText();
            assertTrue(image.matches("sagashop/" + app + ":[0-9][^:]*") && !image.endsWith(":latest"), "tagged image of " + app + ": " + image);
            assertEquals("IfNotPresent", c.path("imagePullPolicy").asText(), app);
            int httpPort = Integer.parseInt(config(app).get("quarkus.http.port"));
            Map<String, Integer> ports = stream(c.path("ports")).collect(Collectors.toMap(p -> p.path("name").asText(), p -> p.path("containerPort").asInt()));
            Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                    "livenessProbe", "/q/health/live");
            probes.forEach((probe, path) -> {
                JsonNode get = c.path(probe).path("httpGet");
                assertEquals(path, get.path("path").asText(), probe + " of " + app);
                JsonNode port = get.path("port");
                assertEquals(httpPort, port.isTextual() ? ports.getOrDefault(port.asText(), -1) : port.asInt(), probe + " port of " + app);
            });
            assertTrue(c.path("resources").path("requests").has("memory") && c.path("resources").path("limits").has("memory"),
                    "resources of " + app);
        }
    }

    @Test
    void everySettingAServiceReadsInTheKubernetesProfileIsProvidedAndNoSecretIsInAConfigMap() throws IOException {
        for (String app : APPS) {
            JsonNode c = containers(workload(app)).get(0);
            Set<String> provided = provided(c);
            assertTrue(provided.contains("QUARKUS_PROFILE"), app + " runs the kubernetes profile");
            for (String variable : requiredVariables(app)) {
                assertTrue(provided.contains(variable), app + " needs " + variable + " in the kubernetes profile; provided: " + provided);
            }
        }
        assertFalse(requiredVariables("order").isEmpty(), "the profile really reads settings from the environment");
        for (ObjectNode cm : ofKind("ConfigMap")) {
            for (String k : data(cm)) {
                // A *_LOCATION names where a mounted Secret is, which is no secret.
                assertFalse(k.toUpperCase(Locale.ROOT).matches(".*(PASSWORD|SECRET|TOKEN|CREDENTIAL).*") && !k.endsWith("_LOCATION"),
                        "secret-looking key " + k + " in " + key(cm));
            }
        }
        assertEquals("kubernetes", String.join("", dataValues(find("ConfigMap", "sagashop-config"), "QUARKUS_PROFILE")));
    }

    // ---- the applications' configuration ----

    /** The app's effective properties file view: platform defaults (for saga services) overlaid by its own. */
    static Map<String, String> config(String app) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        Path platform = ROOT.resolve("platform/src/main/resources/META-INF/microprofile-config.properties");
        String pom = Files.readString(ROOT.resolve(app).resolve("pom.xml"));
        if (pom.contains("<artifactId>platform</artifactId>")) {
            load(platform, props);
        }
        load(ROOT.resolve(app).resolve("src/main/resources/application.properties"), props);
        return props;
    }

    private static void load(Path file, Map<String, String> into) throws IOException {
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        p.stringPropertyNames().forEach(k -> into.put(k, p.getProperty(k)));
    }

    /** Environment variables the kubernetes profile reads without a default ({@code ${VAR}}). */
    static Set<String> requiredVariables(String app) throws IOException {
        Set<String> required = new TreeSet<>();
        Pattern reference = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)}");
        for (Map.Entry<String, String> e : config(app).entrySet()) {
            if (e.getKey().startsWith("%kubernetes.")) {
                Matcher m = reference.matcher(e.getValue());
                while (m.find()) {
                    required.add(m.group(1));
                }
            }
        }
        return required;
    }

    /** Variables a container gets: {@code env} names and the keys of every envFrom source. */
    private static Set<String> provided(JsonNode container) {
        Set<String> names = new TreeSet<>();
        container.path("env").forEach(e -> names.add(e.path("name").asText()));
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            if (from.has("configMapRef")) {
                data(find("ConfigMap", from.path("configMapRef").path("name").asText())).forEach(k -> names.add(prefix + k));
            }
            if (from.has("secretRef")) {
                data(find("Secret", from.path("secretRef").path("name").asText())).forEach(k -> names.add(prefix + k));
            }
        }
        return names;
    }

    // ---- helpers over the rendered objects ----

    static String key(JsonNode o) {
        return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
    }

    static Map<String, JsonNode> byKey(List<ObjectNode> list) {
        Map<String, JsonNode> map = new TreeMap<>();
        list.forEach(o -> map.put(key(o), o));
        return map;
    }

    /** The path of the first difference between two JSON trees, with both values, or "" when equal. */
    static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a.equals(b)) {
            return "";
        }
        if (a.isObject() && b != null && b.isObject()) {
            Set<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode x = a.get(name);
                JsonNode y = b.get(name);
                if (x == null || y == null) {
                    return path + "/" + name + ": " + x + " vs " + y;
                }
                String d = firstDifference(path + "/" + name, x, y);
                if (!d.isEmpty()) {
                    return d;
                }
            }
        }
        if (a.isArray() && b != null && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                String d = firstDifference(path + "/" + i, a.get(i), b.get(i));
                if (!d.isEmpty()) {
                    return d;
                }
            }
        }
        return path + ": " + a + " vs " + b;
    }

    /** A schema file without its "$schema" line (the meta-schema URL would be fetched from the network). */
    static JsonSchema schema(String file) throws IOException {
        ObjectNode tree = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(SCHEMAS.resolve(file).toFile());
        tree.remove("$schema");
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(tree);
    }

    static String schemaName(JsonNode o) {
        String[] apiVersion = o.path("apiVersion").asText().split("/");
        String kind = o.path("kind").asText().toLowerCase(Locale.ROOT);
        return apiVersion.length == 1 ? kind + "-" + apiVersion[0] + ".json"
                : kind + "-" + apiVersion[0].split("\\.")[0] + "-" + apiVersion[1] + ".json";
    }

    static List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static ObjectNode find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in the manifests"));
    }

    /** The app's workload: a StatefulSet for a saga service, a Deployment for the sandbox. */
    static ObjectNode workload(String app) {
        return find(SAGA_SERVICES.contains(app) ? "StatefulSet" : "Deployment", app);
    }

    static List<ObjectNode> workloads() {
        List<ObjectNode> w = new ArrayList<>(ofKind("Deployment"));
        w.addAll(ofKind("StatefulSet"));
        return w;
    }

    static List<JsonNode> containers(JsonNode o) {
        List<JsonNode> all = new ArrayList<>();
        o.path("spec").path("template").path("spec").path("containers").forEach(all::add);
        o.path("spec").path("template").path("spec").path("initContainers").forEach(all::add);
        return all;
    }

    static Set<String> data(JsonNode configMapOrSecret) {
        Set<String> keys = new TreeSet<>();
        configMapOrSecret.path("data").fieldNames().forEachRemaining(keys::add);
        configMapOrSecret.path("stringData").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static List<String> dataValues(JsonNode configMap, String key) {
        return List.of(configMap.path("data").path(key).asText());
    }

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new TreeMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }

    static List<ObjectNode> readAll(String yaml) throws IOException {
        List<ObjectNode> docs = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (values.hasNext()) {
                JsonNode doc = (JsonNode) values.next();
                if (doc instanceof ObjectNode o && !o.isEmpty()) {
                    docs.add(o);
                }
            }
        }
        return docs;
    }

    static Optional<List<ObjectNode>> kubectlKustomize(Path dir) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException notInstalled) {
            return Optional.empty();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ": " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return Optional.of(readAll(out));
    }

    /**
     * The part of kustomize SagaShop's manifests use, for machines without kubectl: {@code resources} (files and
     * directories with a kustomization.yaml), {@code patches} with a {@code path} to a partial object (strategic merge:
     * maps merged, lists of maps with a {@code name} merged by name with the patch's entries first, other lists replaced), {@code namespace} and
     * {@code images} (newName/newTag). Anything else in a kustomization fails the test rather than being ignored.
     */
    static final class MiniKustomize {
        private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches", "namespace", "images");

        static List<ObjectNode> render(Path dir) throws IOException {
            JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
            k.fieldNames().forEachRemaining(f -> assertTrue(SUPPORTED.contains(f), "MiniKustomize does not support '" + f + "' in " + dir));
            List<ObjectNode> out = new ArrayList<>();
            for (JsonNode r : k.path("resources")) {
                Path p = dir.resolve(r.asText()).normalize();
                out.addAll(Files.isDirectory(p) ? render(p) : readAll(Files.readString(p)));
            }
            for (JsonNode patch : k.path("patches")) {
                for (ObjectNode partial : readAll(Files.readString(dir.resolve(patch.path("path").asText())))) {
                    ObjectNode target = out.stream().filter(o -> key(o).equals(key(partial))).findFirst()
                            .orElseThrow(() -> new AssertionError("patch target " + key(partial) + " not found"));
                    merge(target, partial);
                }
            }
            if (k.has("namespace")) {
                for (ObjectNode o : out) {
                    if (!o.path("kind").asText().equals("Namespace")) {
                        ((ObjectNode) o.path("metadata")).put("namespace", k.path("namespace").asText());
                    }
                }
            }
            for (JsonNode image : k.path("images")) {
                for (ObjectNode o : out) {
                    for (JsonNode c : containers(o)) {
                        String current = c.path("image").asText();
                        String name = current.contains(":") ? current.substring(0, current.lastIndexOf(':')) : current;
                        if (name.equals(image.path("name").asText())) {
                            String tag = image.has("newTag") ? image.path("newTag").asText()
                                    : current.contains(":") ? current.substring(current.lastIndexOf(':') + 1) : "latest";
                            ((ObjectNode) c).put("image", image.path("newName").asText(name) + ":" + tag);
                        }
                    }
                }
            }
            return out;
        }

        static void merge(ObjectNode target, JsonNode patch) {
            patch.fields().forEachRemaining(e -> {
                JsonNode existing = target.get(e.getKey());
                JsonNode value = e.getValue();
                if (existing instanceof ObjectNode o && value.isObject()) {
                    merge(o, value);
                } else if (existing instanceof ArrayNode a && value.isArray() && byName(a) && byName(value)) {
                    // As kustomize's strategic merge orders it: the patch's entries first (merged into the existing
                    // entry of the same name, if any), in patch order, then the untouched entries.
                    List<JsonNode> merged = new ArrayList<>();
                    for (JsonNode item : value) {
                        Optional<JsonNode> same = stream(a).filter(x -> x.path("name").equals(item.path("name"))).findFirst();
                        same.ifPresent(x -> merge((ObjectNode) x, item));
                        merged.add(same.orElse(item.deepCopy()));
                    }
                    stream(a).filter(x -> !merged.contains(x)).forEach(merged::add);
                    a.removeAll();
                    merged.forEach(a::add);
                } else {
                    target.set(e.getKey(), value.deepCopy());
                }
            });
        }

        private static boolean byName(JsonNode array) {
            return array.size() > 0 && stream(array).allMatch(x -> x.isObject() && x.path("name") instanceof TextNode);
        }
    }
}

package io.sluice.kafka.codegen;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Emits the {@code KafkaApiKey} enum: one constant per api key with its name, version range, first flexible version,
 * listeners and factories for the request and response classes, plus the header-version rules.
 */
final class ApiKeyGenerator {

    private ApiKeyGenerator() {
    }

    static String generate(List<MessageSpec> specs, String pkg, String runtimePkg) {
        Map<Integer, MessageSpec> requests = new TreeMap<>();
        Map<Integer, MessageSpec> responses = new TreeMap<>();
        for (MessageSpec s : specs) {
            if (s.type().equals("request")) {
                requests.put(s.apiKey(), s);
            } else if (s.type().equals("response")) {
                responses.put(s.apiKey(), s);
            }
        }
        CodeBuffer c = new CodeBuffer();
        c.line("// Generated from Apache Kafka's message schemas by sluice-kafka-codegen. Do not edit.");
        c.line("package " + pkg + ";");
        c.line();
        c.line("import " + runtimePkg + ".KafkaApiMessage;");
        c.line("import java.util.List;");
        c.line("import java.util.function.Supplier;");
        c.line();
        c.line("/**");
        c.line(" * Every Kafka api key with the versions the schemas define. What a broker advertises is its own choice and");
        c.line(" * lives with the broker; this enum only says what can be encoded.");
        c.line(" *");
        c.line(" * <p>Header rules: a request uses header v2 (the client id stays a non-compact string, but a tagged-field");
        c.line(" * section follows it) when its version is flexible, v1 otherwise. A response uses header v1");
        c.line(" * (with tagged fields) when flexible, v0 otherwise, except ApiVersions, whose response header is always v0 so");
        c.line(" * a client can read it before it knows which versions the broker speaks.");
        c.line(" */");
        c.open("public enum KafkaApiKey");
        int n = 0;
        for (Map.Entry<Integer, MessageSpec> e : requests.entrySet()) {
            MessageSpec req = e.getValue();
            MessageSpec resp = responses.get(e.getKey());
            if (resp == null) {
                throw new IllegalStateException("no response schema for " + req.name());
            }
            String base = req.name().substring(0, req.name().length() - "Request".length());
            String listeners = req.listeners().isEmpty() ? "List.of()"
                    : "List.of(" + String.join(", ", req.listeners().stream().map(TypeCode::quote).toList()) + ")";
            n++;
            c.line(constant(base) + "((short) " + req.apiKey() + ", " + TypeCode.quote(base) + ", (short) "
                    + req.validVersions().lowest() + ", (short) " + req.validVersions().highest() + ", (short) "
                    + flexFrom(req) + ", (short) " + flexFrom(resp) + ", " + req.latestUnstable() + ", " + listeners
                    + ", " + req.name() + "::new, " + resp.name() + "::new)" + (n == requests.size() ? ";" : ","));
        }
        c.line();
        c.line("private static final KafkaApiKey[] BY_ID;");
        c.open("static");
        c.line("int max = 0;");
        c.open("for (KafkaApiKey k : values())");
        c.line("max = Math.max(max, k.id);");
        c.close();
        c.line("BY_ID = new KafkaApiKey[max + 1];");
        c.open("for (KafkaApiKey k : values())");
        c.line("BY_ID[k.id] = k;");
        c.close();
        c.close();
        c.line();
        c.line("/** The api key on the wire. */");
        c.line("public final short id;");
        c.line("/** The name used in Kafka's documentation, e.g. {@code Produce}. */");
        c.line("public final String apiName;");
        c.line("/** Lowest version the schema defines. */");
        c.line("public final short lowestVersion;");
        c.line("/** Highest version the schema defines. */");
        c.line("public final short highestVersion;");
        c.line("/** First flexible request version, or -1 if none is. */");
        c.line("public final short requestFlexibleFrom;");
        c.line("/** First flexible response version, or -1 if none is. */");
        c.line("public final short responseFlexibleFrom;");
        c.line("/** Whether the highest version is still unstable upstream. */");
        c.line("public final boolean latestVersionUnstable;");
        c.line("/** Which Kafka listeners accept the request: broker, controller. */");
        c.line("public final List<String> listeners;");
        c.line("private final Supplier<KafkaApiMessage> requestFactory;");
        c.line("private final Supplier<KafkaApiMessage> responseFactory;");
        c.line();
        c.open("KafkaApiKey(short id, String apiName, short lowestVersion, short highestVersion, short requestFlexibleFrom, "
                + "short responseFlexibleFrom, boolean latestVersionUnstable, List<String> listeners, "
                + "Supplier<KafkaApiMessage> requestFactory, Supplier<KafkaApiMessage> responseFactory)");
        for (String f : List.of("id", "apiName", "lowestVersion", "highestVersion", "requestFlexibleFrom", "responseFlexibleFrom",
                "latestVersionUnstable", "listeners", "requestFactory", "responseFactory")) {
            c.line("this." + f + " = " + f + ";");
        }
        c.close();
        c.line();
        c.line("/** The api key with this id, or null if the schemas define none. */");
        c.open("public static KafkaApiKey forId(int id)");
        c.line("return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;");
        c.close();
        c.line();
        c.open("public boolean isVersionDefined(short version)");
        c.line("return version >= lowestVersion && version <= highestVersion;");
        c.close();
        c.line();
        c.open("public boolean isRequestFlexible(short version)");
        c.line("return requestFlexibleFrom >= 0 && version >= requestFlexibleFrom;");
        c.close();
        c.line();
        c.open("public boolean isResponseFlexible(short version)");
        c.line("return responseFlexibleFrom >= 0 && version >= responseFlexibleFrom;");
        c.close();
        c.line();
        c.line("/** Request header version (1 or 2) used with this request version. */");
        c.open("public short requestHeaderVersion(short version)");
        c.line("return (short) (isRequestFlexible(version) ? 2 : 1);");
        c.close();
        c.line();
        c.line("/** Response header version (0 or 1) used with this response version. */");
        c.open("public short responseHeaderVersion(short version)");
        c.open("if (this == API_VERSIONS)");
        c.line("return 0;");
        c.close();
        c.line("return (short) (isResponseFlexible(version) ? 1 : 0);");
        c.close();
        c.line();
        c.line("/** A new, empty request message of this api. */");
        c.open("public KafkaApiMessage newRequest()");
        c.line("return requestFactory.get();");
        c.close();
        c.line();
        c.line("/** A new, empty response message of this api. */");
        c.open("public KafkaApiMessage newResponse()");
        c.line("return responseFactory.get();");
        c.close();
        c.close();
        return c.toString();
    }

    private static int flexFrom(MessageSpec s) {
        Versions f = s.flexibleVersions().intersect(new Versions((short) 0, Short.MAX_VALUE));
        return f.isEmpty() ? -1 : f.lowest();
    }

    /** {@code DescribeTopicPartitions} to {@code DESCRIBE_TOPIC_PARTITIONS}. */
    static String constant(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch) && i > 0 && (Character.isLowerCase(camel.charAt(i - 1))
                    || (i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1))))) {
                sb.append('_');
            }
            sb.append(Character.toUpperCase(ch));
        }
        return sb.toString();
    }
}

package io.sluice.kafka.codegen;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one message schema (JSON with {@code //} comments) into a {@link MessageSpec}. Every struct is collected once,
 * inline structs in declaration order followed by common structs, so the generator can emit them as flat nested
 * classes (struct names are unique within a message).
 */
final class SchemaParser {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

    private SchemaParser() {
    }

    static MessageSpec parse(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        String name = root.get("name").asText();
        Versions valid = Versions.parse(root.get("validVersions").asText(), Versions.NONE);
        Versions flexible = Versions.parse(text(root, "flexibleVersions"), Versions.NONE);
        Map<String, StructSpec> structs = new LinkedHashMap<>();
        List<FieldSpec> rootFields = fields(root.get("fields"), valid, structs, name);
        List<StructSpec> all = new ArrayList<>();
        all.add(new StructSpec(name, rootFields));
        all.addAll(structs.values());
        JsonNode common = root.get("commonStructs");
        if (common != null) {
            for (JsonNode c : common) {
                String cname = c.get("name").asText();
                Versions cv = Versions.parse(text(c, "versions"), valid);
                if (structs.containsKey(cname)) {
                    throw new IllegalStateException(name + ": struct " + cname + " defined twice");
                }
                Map<String, StructSpec> nested = new LinkedHashMap<>();
                List<FieldSpec> cf = fields(c.get("fields"), cv, nested, name);
                all.add(new StructSpec(cname, cf));
                all.addAll(nested.values());
            }
        }
        List<String> listeners = new ArrayList<>();
        if (root.has("listeners")) {
            root.get("listeners").forEach(n -> listeners.add(n.asText()));
        }
        int apiKey = root.has("apiKey") ? root.get("apiKey").asInt() : -1;
        boolean unstable = root.has("latestVersionUnstable") && root.get("latestVersionUnstable").asBoolean();
        return new MessageSpec(name, root.get("type").asText(), apiKey, valid, flexible, List.copyOf(listeners),
                unstable, List.copyOf(all));
    }

    private static List<FieldSpec> fields(JsonNode array, Versions parentVersions, Map<String, StructSpec> structs,
                                          String message) {
        List<FieldSpec> out = new ArrayList<>();
        if (array == null) {
            return out;
        }
        for (JsonNode f : array) {
            String fname = f.get("name").asText();
            FieldType type = FieldType.parse(f.get("type").asText());
            Versions versions = Versions.parse(text(f, "versions"), Versions.NONE);
            Versions nullable = Versions.parse(text(f, "nullableVersions"), Versions.NONE);
            Versions tagged = Versions.parse(text(f, "taggedVersions"), Versions.NONE);
            int tag = f.has("tag") ? f.get("tag").asInt() : -1;
            if (tag >= 0 && !tagged.equals(versions)) {
                // Every published schema declares tagged fields with taggedVersions == versions; the generated
                // code relies on it (a field is either always tagged or never).
                throw new IllegalStateException(message + "." + fname + ": taggedVersions differ from versions");
            }
            Versions flexOverride = f.has("flexibleVersions") ? Versions.parse(text(f, "flexibleVersions"), null) : null;
            List<FieldSpec> children = List.of();
            FieldType structType = type.isArray() ? type.element() : type;
            if (structType.isStruct() && f.has("fields")) {
                children = fields(f.get("fields"), versions, structs, message);
                if (structs.put(structType.structName(), new StructSpec(structType.structName(), children)) != null) {
                    throw new IllegalStateException(message + ": struct " + structType.structName() + " defined twice");
                }
            }
            String def = f.has("default") ? f.get("default").asText() : null;
            String about = f.has("about") ? f.get("about").asText() : "";
            out.add(new FieldSpec(fname, type, versions, nullable, tagged, tag, def, flexOverride, children, about));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null ? null : v.asText();
    }
}

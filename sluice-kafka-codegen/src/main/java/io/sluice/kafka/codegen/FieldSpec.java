package io.sluice.kafka.codegen;

import java.util.List;

/**
 * One field of a message or struct, as declared in the schema.
 *
 * @param name              schema name (UpperCamelCase)
 * @param type              the field's type
 * @param versions          versions in which the field exists
 * @param nullableVersions  versions in which the field may be null
 * @param taggedVersions    versions in which the field is sent in the tagged section (empty if never)
 * @param tag               the tag, or -1
 * @param defaultValue      the schema's default as written, or null for the type's natural default
 * @param flexibleOverride  a field-level flexibleVersions (only the request header's ClientId uses one), or null
 * @param fields            for inline structs, their fields; otherwise empty
 * @param about             the schema's description
 */
record FieldSpec(String name, FieldType type, Versions versions, Versions nullableVersions, Versions taggedVersions,
                 int tag, String defaultValue, Versions flexibleOverride, List<FieldSpec> fields, String about) {

    boolean isTagged() {
        return tag >= 0;
    }

    private static final java.util.Set<String> KEYWORDS = java.util.Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "record", "var", "yield");

    /** The Java field name: lowerCamelCase, with a trailing underscore if that is a keyword. */
    String javaName() {
        String n = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        return KEYWORDS.contains(n) ? n + "_" : n;
    }
}

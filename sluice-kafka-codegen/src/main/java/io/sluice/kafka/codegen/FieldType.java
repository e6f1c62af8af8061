package io.sluice.kafka.codegen;

/**
 * The type of one schema field: a primitive, a struct, or an array of either.
 *
 * @param kind       what the value is
 * @param element    for arrays, the element type; otherwise null
 * @param structName for structs (and arrays of structs, on the element), the struct's class name
 */
record FieldType(Kind kind, FieldType element, String structName) {

    enum Kind { BOOL, INT8, INT16, UINT16, INT32, UINT32, INT64, FLOAT64, STRING, UUID, BYTES, RECORDS, STRUCT, ARRAY }

    static FieldType parse(String text) {
        if (text.startsWith("[]")) {
            return new FieldType(Kind.ARRAY, parse(text.substring(2)), null);
        }
        Kind k = switch (text) {
            case "bool" -> Kind.BOOL;
            case "int8" -> Kind.INT8;
            case "int16" -> Kind.INT16;
            case "uint16" -> Kind.UINT16;
            case "int32" -> Kind.INT32;
            case "uint32" -> Kind.UINT32;
            case "int64" -> Kind.INT64;
            case "float64" -> Kind.FLOAT64;
            case "string" -> Kind.STRING;
            case "uuid" -> Kind.UUID;
            case "bytes" -> Kind.BYTES;
            case "records" -> Kind.RECORDS;
            default -> Kind.STRUCT;
        };
        return new FieldType(k, null, k == Kind.STRUCT ? text : null);
    }

    boolean isArray() {
        return kind == Kind.ARRAY;
    }

    boolean isStruct() {
        return kind == Kind.STRUCT;
    }

    /** True for types that hold a Java reference and may therefore be null. */
    boolean isReference() {
        return switch (kind) {
            case STRING, UUID, BYTES, RECORDS, STRUCT, ARRAY -> true;
            default -> false;
        };
    }

    /** True for types that can be null on the wire (uuid cannot: it uses the zero uuid instead). */
    boolean canBeNull() {
        return isReference() && kind != Kind.UUID;
    }

    String javaType() {
        return switch (kind) {
            case BOOL -> "boolean";
            case INT8 -> "byte";
            case INT16 -> "short";
            case UINT16, INT32 -> "int";
            case UINT32, INT64 -> "long";
            case FLOAT64 -> "double";
            case STRING -> "String";
            case UUID -> "java.util.UUID";
            case BYTES -> "byte[]";
            case RECORDS -> "KafkaRecords";
            case STRUCT -> structName;
            case ARRAY -> "java.util.List<" + element.boxedType() + ">";
        };
    }

    String boxedType() {
        return switch (kind) {
            case BOOL -> "Boolean";
            case INT8 -> "Byte";
            case INT16 -> "Short";
            case UINT16, INT32 -> "Integer";
            case UINT32, INT64 -> "Long";
            case FLOAT64 -> "Double";
            default -> javaType();
        };
    }
}

package io.sluice.kafka.codegen;

import io.sluice.kafka.codegen.FieldType.Kind;

/**
 * The Java fragments that read, write, size, compare and default one field type. {@code compact} and {@code nullable}
 * are Java boolean expressions evaluated at run time (they depend on the version being read or written).
 *
 * <p>Conventions of the generated methods: the input buffer is {@code _buf}, the output {@code _out}, the size
 * accumulator {@code _size}, the version {@code version}.
 */
final class TypeCode {

    private TypeCode() {
    }

    static String readExpr(FieldType t, String compact, String nullable) {
        return switch (t.kind()) {
            case BOOL -> "_buf.get() != 0";
            case INT8 -> "_buf.get()";
            case INT16 -> "_buf.getShort()";
            case UINT16 -> "Short.toUnsignedInt(_buf.getShort())";
            case INT32 -> "_buf.getInt()";
            case UINT32 -> "Integer.toUnsignedLong(_buf.getInt())";
            case INT64 -> "_buf.getLong()";
            case FLOAT64 -> "_buf.getDouble()";
            case STRING -> "KafkaWire.readString(_buf, " + compact + ", " + nullable + ")";
            case UUID -> "KafkaWire.readUuid(_buf)";
            case BYTES -> "KafkaWire.readBytes(_buf, " + compact + ", " + nullable + ")";
            case RECORDS -> "KafkaWire.readRecords(_buf, " + compact + ", " + nullable + ")";
            case STRUCT -> nullable.equals("false") ? "new " + t.structName() + "(_buf, version)"
                    : "(" + nullable + " && _buf.get() < 0) ? null : new " + t.structName() + "(_buf, version)";
            case ARRAY -> throw new IllegalArgumentException("arrays are read by statements");
        };
    }

    /** Statements assigning the value read to {@code target}. */
    static void read(CodeBuffer c, FieldType t, String target, String compact, String nullable) {
        if (!t.isArray()) {
            c.line(target + " = " + readExpr(t, compact, nullable) + ";");
            return;
        }
        FieldType e = t.element();
        c.open("");
        c.line("int _n = KafkaWire.readArrayLength(_buf, " + compact + ", " + nullable + ");");
        c.open("if (_n < 0)");
        c.line(target + " = null;");
        c.reopen("else");
        c.line("java.util.ArrayList<" + e.boxedType() + "> _list = new java.util.ArrayList<>(_n);");
        c.open("for (int _i = 0; _i < _n; _i++)");
        c.line("_list.add(" + readExpr(e, compact, "false") + ");");
        c.close();
        c.line(target + " = _list;");
        c.close();
        c.close();
    }

    static void write(CodeBuffer c, FieldType t, String v, String compact, String nullable, String what) {
        switch (t.kind()) {
            case BOOL -> c.line("_out.writeByte(" + v + " ? 1 : 0);");
            case INT8 -> c.line("_out.writeByte(" + v + ");");
            case INT16, UINT16 -> c.line("_out.writeShort(" + v + ");");
            case INT32 -> c.line("_out.writeInt(" + v + ");");
            case UINT32 -> c.line("_out.writeInt((int) " + v + ");");
            case INT64 -> c.line("_out.writeLong(" + v + ");");
            case FLOAT64 -> c.line("_out.writeDouble(" + v + ");");
            case STRING -> c.line("KafkaWire.writeString(_out, " + v + ", " + compact + ", " + nullable + ", \"" + what + "\");");
            case UUID -> c.line("KafkaWire.writeUuid(_out, " + v + ");");
            case BYTES -> c.line("KafkaWire.writeBytes(_out, " + v + ", " + compact + ", " + nullable + ", \"" + what + "\");");
            case RECORDS -> c.line("KafkaWire.writeRecords(_out, " + v + ", " + compact + ", " + nullable + ", \"" + what + "\");");
            case STRUCT -> {
                if (nullable.equals("false")) {
                    c.line("KafkaWire.requireNonNull(" + v + ", \"" + what + "\").write(_out, version);");
                } else {
                    c.open("if (" + v + " == null)");
                    c.line("KafkaWire.writeNullStruct(_out, " + nullable + ", \"" + what + "\");");
                    c.reopen("else");
                    c.open("if (" + nullable + ")");
                    c.line("_out.writeByte(1);");
                    c.close();
                    c.line(v + ".write(_out, version);");
                    c.close();
                }
            }
            case ARRAY -> {
                FieldType e = t.element();
                c.open("if (" + v + " == null)");
                c.line("KafkaWire.writeNullArray(_out, " + compact + ", " + nullable + ", \"" + what + "\");");
                c.reopen("else");
                c.line("KafkaWire.writeArrayLength(_out, " + v + ".size(), " + compact + ");");
                c.open("for (" + e.javaType() + " _e : " + v + ")");
                write(c, e, "_e", compact, "false", what + "[]");
                c.close();
                c.close();
            }
        }
    }

    /** Bytes of a fixed-size type, or -1. */
    static int fixedSize(FieldType t) {
        return switch (t.kind()) {
            case BOOL, INT8 -> 1;
            case INT16, UINT16 -> 2;
            case INT32, UINT32 -> 4;
            case INT64, FLOAT64 -> 8;
            case UUID -> 16;
            default -> -1;
        };
    }

    /** Statements adding the encoded size of {@code v} to {@code _size}. */
    static void size(CodeBuffer c, FieldType t, String v, String compact, String nullable) {
        int fixed = fixedSize(t);
        if (fixed > 0) {
            c.line("_size += " + fixed + ";");
            return;
        }
        switch (t.kind()) {
            case STRING -> c.line("_size += KafkaWire.sizeOfString(" + v + ", " + compact + ");");
            case BYTES -> c.line("_size += KafkaWire.sizeOfBytes(" + v + ", " + compact + ");");
            case RECORDS -> c.line("_size += KafkaWire.sizeOfRecords(" + v + ", " + compact + ");");
            case STRUCT -> {
                if (!nullable.equals("false")) {
                    c.line("_size += " + nullable + " ? 1 : 0;");
                }
                c.open("if (" + v + " != null)");
                c.line("_size += " + v + ".size(version);");
                c.close();
            }
            case ARRAY -> {
                FieldType e = t.element();
                c.open("if (" + v + " == null)");
                c.line("_size += KafkaWire.sizeOfArrayLength(-1, " + compact + ");");
                c.reopen("else");
                c.line("_size += KafkaWire.sizeOfArrayLength(" + v + ".size(), " + compact + ");");
                int ef = fixedSize(e);
                if (ef > 0) {
                    c.line("_size += " + v + ".size() * " + ef + ";");
                } else {
                    c.open("for (" + e.javaType() + " _e : " + v + ")");
                    size(c, e, "_e", compact, "false");
                    c.close();
                }
                c.close();
            }
            default -> throw new IllegalStateException(t.toString());
        }
    }

    /** The field's initial value: the schema default, or the type's natural default. */
    static String defaultExpr(FieldSpec f) {
        FieldType t = f.type();
        String d = f.defaultValue();
        boolean isNull = "null".equals(d);
        return switch (t.kind()) {
            case BOOL -> d == null ? "false" : d.trim().toLowerCase(java.util.Locale.ROOT);
            case INT8 -> "(byte) " + (d == null ? 0 : Long.decode(d.trim()));
            case INT16 -> "(short) " + (d == null ? 0 : Long.decode(d.trim()));
            case UINT16, INT32 -> Long.toString(d == null ? 0 : Long.decode(d.trim()));
            case UINT32, INT64 -> (d == null ? 0 : Long.decode(d.trim())) + "L";
            case FLOAT64 -> (d == null ? 0.0 : Double.parseDouble(d.trim())) + "d";
            case STRING -> isNull ? "null" : quote(d == null ? "" : d);
            case UUID -> "KafkaWire.ZERO_UUID";
            case BYTES -> isNull ? "null" : "KafkaWire.EMPTY_BYTES";
            case RECORDS -> "null";
            case STRUCT -> isNull ? "null" : "new " + t.structName() + "()";
            case ARRAY -> isNull ? "null" : "new java.util.ArrayList<>(0)";
        };
    }

    /** A boolean expression true when {@code v} equals the field's default (tagged fields are then not sent). */
    static String isDefault(FieldSpec f, String v) {
        FieldType t = f.type();
        String d = defaultExpr(f);
        if (d.equals("null")) {
            return v + " == null";
        }
        return switch (t.kind()) {
            case BOOL, INT8, INT16, UINT16, INT32, UINT32, INT64 -> v + " == " + d;
            case FLOAT64 -> "Double.compare(" + v + ", " + d + ") == 0";
            case STRING -> d + ".equals(" + v + ")";
            case UUID -> "KafkaWire.ZERO_UUID.equals(" + v + ")";
            case BYTES -> "(" + v + " != null && " + v + ".length == 0)";
            case STRUCT -> d + ".equals(" + v + ")";
            case ARRAY -> "(" + v + " != null && " + v + ".isEmpty())";
            case RECORDS -> v + " == null";
        };
    }

    static String equalsExpr(FieldType t, String a, String b) {
        return switch (t.kind()) {
            case BOOL, INT8, INT16, UINT16, INT32, UINT32, INT64 -> a + " == " + b;
            case FLOAT64 -> "Double.compare(" + a + ", " + b + ") == 0";
            case BYTES -> "java.util.Arrays.equals(" + a + ", " + b + ")";
            default -> "java.util.Objects.equals(" + a + ", " + b + ")";
        };
    }

    static String hashExpr(FieldType t, String v) {
        return switch (t.kind()) {
            case BOOL -> "Boolean.hashCode(" + v + ")";
            case INT8 -> "Byte.hashCode(" + v + ")";
            case INT16 -> "Short.hashCode(" + v + ")";
            case UINT16, INT32 -> "Integer.hashCode(" + v + ")";
            case UINT32, INT64 -> "Long.hashCode(" + v + ")";
            case FLOAT64 -> "Double.hashCode(" + v + ")";
            case BYTES -> "java.util.Arrays.hashCode(" + v + ")";
            default -> "java.util.Objects.hashCode(" + v + ")";
        };
    }

    static String toStringExpr(FieldType t, String v) {
        return switch (t.kind()) {
            case STRING -> "(" + v + " == null ? \"null\" : \"'\" + " + v + " + \"'\")";
            case BYTES -> "(" + v + " == null ? \"null\" : \"bytes[\" + " + v + ".length + \"]\")";
            case RECORDS -> "(" + v + " == null ? \"null\" : \"records[\" + " + v + ".sizeInBytes() + \"]\")";
            default -> "String.valueOf(" + v + ")";
        };
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static boolean isKind(FieldType t, Kind k) {
        return t.kind() == k;
    }
}

package io.sluice.kafka.codegen;

import java.util.Comparator;
import java.util.List;

/**
 * Emits the Java class for one schema: the top-level message with its fields and codec methods, and every struct
 * as a flat {@code public static final class} nested in it.
 *
 * <p>The generated code decides per version at run time (like the schemas, one class serves every version):
 * fields absent from a version are reset to their defaults on read and skipped on write; flexible versions use the
 * compact encodings and end every struct with a tagged-field section.
 */
final class MessageGenerator {

    private final MessageSpec spec;
    private final String pkg;
    private final String runtimePkg;
    private final CodeBuffer c = new CodeBuffer();

    MessageGenerator(MessageSpec spec, String pkg, String runtimePkg) {
        this.spec = spec;
        this.pkg = pkg;
        this.runtimePkg = runtimePkg;
    }

    String generate() {
        c.line("// Generated from Apache Kafka's " + spec.name() + ".json by sluice-kafka-codegen. Do not edit.");
        c.line("package " + pkg + ";");
        c.line();
        c.line("import " + runtimePkg + ".KafkaApiMessage;");
        c.line("import " + runtimePkg + ".KafkaMessage;");
        c.line("import " + runtimePkg + ".KafkaRecords;");
        c.line("import " + runtimePkg + ".KafkaWire;");
        c.line("import " + runtimePkg + ".KafkaWritable;");
        c.line("import java.nio.ByteBuffer;");
        c.line();
        c.line("/**");
        c.line(" * Kafka " + spec.type() + " {@code " + spec.name() + "}" + (spec.apiKey() >= 0 ? " (api key " + spec.apiKey() + ")" : "")
                + ", versions " + spec.validVersions() + ", flexible " + spec.flexibleVersions() + ".");
        c.line(" * Mutable and not thread-safe: build it, write it, drop it.");
        c.line(" */");
        boolean api = spec.apiKey() >= 0;
        c.open("public final class " + spec.name() + " implements " + (api ? "KafkaApiMessage" : "KafkaMessage"));
        if (api) {
            c.line("public static final short API_KEY = " + spec.apiKey() + ";");
        }
        c.line("public static final short LOWEST_SUPPORTED_VERSION = " + spec.validVersions().lowest() + ";");
        c.line("public static final short HIGHEST_SUPPORTED_VERSION = " + spec.validVersions().highest() + ";");
        c.line();
        structBody(spec.root(), true);
        if (api) {
            c.line();
            c.line("@Override");
            c.open("public short apiKey()");
            c.line("return API_KEY;");
            c.close();
        }
        c.line();
        c.line("@Override");
        c.open("public short lowestSupportedVersion()");
        c.line("return LOWEST_SUPPORTED_VERSION;");
        c.close();
        c.line();
        c.line("@Override");
        c.open("public short highestSupportedVersion()");
        c.line("return HIGHEST_SUPPORTED_VERSION;");
        c.close();
        for (StructSpec s : spec.structs().subList(1, spec.structs().size())) {
            c.line();
            c.open("public static final class " + s.name() + " implements KafkaMessage");
            structBody(s, false);
            c.line();
            c.line("@Override");
            c.open("public short lowestSupportedVersion()");
            c.line("return LOWEST_SUPPORTED_VERSION;");
            c.close();
            c.line();
            c.line("@Override");
            c.open("public short highestSupportedVersion()");
            c.line("return HIGHEST_SUPPORTED_VERSION;");
            c.close();
            c.close();
        }
        c.close();
        return c.toString();
    }

    private String flexTest() {
        return spec.flexibleVersions().test("version", spec.validVersions());
    }

    private String test(Versions v) {
        return v.test("version", spec.validVersions());
    }

    private String compactFor(FieldSpec f) {
        return f.flexibleOverride() != null ? test(f.flexibleOverride()) : "_flex";
    }

    private String nullableFor(FieldSpec f) {
        return f.type().canBeNull() ? test(f.nullableVersions()) : "false";
    }

    private void structBody(StructSpec s, boolean top) {
        List<FieldSpec> fields = s.fields();
        List<FieldSpec> tagged = fields.stream().filter(FieldSpec::isTagged)
                .sorted(Comparator.comparingInt(FieldSpec::tag)).toList();
        for (FieldSpec f : fields) {
            c.line("/** " + javadoc(f.about()) + " Versions " + f.versions()
                    + (f.nullableVersions().isEmpty() ? "" : ", nullable " + f.nullableVersions())
                    + (f.isTagged() ? ", tag " + f.tag() : "") + ". */");
            c.line("public " + f.type().javaType() + " " + f.javaName() + " = " + TypeCode.defaultExpr(f) + ";");
        }
        c.line();
        c.open("public " + s.name() + "()");
        c.close();
        c.line();
        c.line("/** Reads a " + s.name() + " of {@code version} from the buffer's position. */");
        c.open("public " + s.name() + "(ByteBuffer _buf, short version)");
        c.line("read(_buf, version);");
        c.close();

        // read
        c.line();
        c.line("@Override");
        c.open("public void read(ByteBuffer _buf, short version)");
        c.line("boolean _flex = " + flexTest() + ";");
        for (FieldSpec f : fields) {
            String target = "this." + f.javaName();
            if (f.isTagged()) {
                c.line(target + " = " + TypeCode.defaultExpr(f) + ";");
                continue;
            }
            String present = test(f.versions());
            if (present.equals("false")) {
                c.line(target + " = " + TypeCode.defaultExpr(f) + ";");
            } else if (present.equals("true")) {
                TypeCode.read(c, f.type(), target, compactFor(f), nullableFor(f));
            } else {
                c.open("if (" + present + ")");
                TypeCode.read(c, f.type(), target, compactFor(f), nullableFor(f));
                c.reopen("else");
                c.line(target + " = " + TypeCode.defaultExpr(f) + ";");
                c.close();
            }
        }
        c.open("if (_flex)");
        c.line("int _numTagged = KafkaWire.readUnsignedVarint(_buf);");
        c.open("for (int _t = 0; _t < _numTagged; _t++)");
        c.line("int _tag = KafkaWire.readUnsignedVarint(_buf);");
        c.line("int _len = KafkaWire.readUnsignedVarint(_buf);");
        c.line("int _end = KafkaWire.checkedEnd(_buf, _len);");
        boolean first = true;
        for (FieldSpec f : tagged) {
            String cond = "_tag == " + f.tag() + " && " + test(f.taggedVersions());
            if (first) {
                c.open("if (" + cond + ")");
            } else {
                c.reopen("else if (" + cond + ")");
            }
            TypeCode.read(c, f.type(), "this." + f.javaName(), "true", nullableFor(f));
            first = false;
        }
        if (!tagged.isEmpty()) {
            c.close();
        }
        c.line("_buf.position(_end);");
        c.close();
        c.close();
        c.close();

        // write
        c.line();
        c.line("@Override");
        c.open("public void write(KafkaWritable _out, short version)");
        c.line("boolean _flex = " + flexTest() + ";");
        for (FieldSpec f : fields) {
            if (f.isTagged()) {
                continue;
            }
            String present = test(f.versions());
            if (present.equals("false")) {
                continue;
            }
            boolean cond = !present.equals("true");
            if (cond) {
                c.open("if (" + present + ")");
            }
            TypeCode.write(c, f.type(), "this." + f.javaName(), compactFor(f), nullableFor(f), s.name() + "." + f.name());
            if (cond) {
                c.close();
            }
        }
        c.open("if (_flex)");
        if (tagged.isEmpty()) {
            c.line("_out.writeUnsignedVarint(0);");
        } else {
            c.line("int _numTagged = 0;");
            for (FieldSpec f : tagged) {
                c.open("if (" + taggedCondition(f) + ")");
                c.line("_numTagged++;");
                c.close();
            }
            c.line("_out.writeUnsignedVarint(_numTagged);");
            for (FieldSpec f : tagged) {
                c.open("if (" + taggedCondition(f) + ")");
                c.line("_out.writeUnsignedVarint(" + f.tag() + ");");
                c.line("_out.writeUnsignedVarint(" + taggedSizeMethod(f) + "(version));");
                TypeCode.write(c, f.type(), "this." + f.javaName(), "true", nullableFor(f), s.name() + "." + f.name());
                c.close();
            }
        }
        c.close();
        c.close();

        // size
        c.line();
        c.line("@Override");
        c.open("public int size(short version)");
        c.line("boolean _flex = " + flexTest() + ";");
        c.line("int _size = 0;");
        for (FieldSpec f : fields) {
            if (f.isTagged()) {
                continue;
            }
            String present = test(f.versions());
            if (present.equals("false")) {
                continue;
            }
            boolean cond = !present.equals("true");
            if (cond) {
                c.open("if (" + present + ")");
            }
            TypeCode.size(c, f.type(), "this." + f.javaName(), compactFor(f), nullableFor(f));
            if (cond) {
                c.close();
            }
        }
        c.open("if (_flex)");
        if (tagged.isEmpty()) {
            c.line("_size += 1;");
        } else {
            c.line("int _numTagged = 0;");
            for (FieldSpec f : tagged) {
                c.open("if (" + taggedCondition(f) + ")");
                c.line("_numTagged++;");
                c.line("int _s = " + taggedSizeMethod(f) + "(version);");
                c.line("_size += KafkaWire.sizeOfUnsignedVarint(" + f.tag() + ") + KafkaWire.sizeOfUnsignedVarint(_s) + _s;");
                c.close();
            }
            c.line("_size += KafkaWire.sizeOfUnsignedVarint(_numTagged);");
        }
        c.close();
        c.line("return _size;");
        c.close();

        for (FieldSpec f : tagged) {
            c.line();
            c.open("private int " + taggedSizeMethod(f) + "(short version)");
            c.line("int _size = 0;");
            TypeCode.size(c, f.type(), "this." + f.javaName(), "true", nullableFor(f));
            c.line("return _size;");
            c.close();
        }

        // setters
        for (FieldSpec f : fields) {
            c.line();
            c.open("public " + s.name() + " set" + f.name() + "(" + f.type().javaType() + " v)");
            c.line("this." + f.javaName() + " = v;");
            c.line("return this;");
            c.close();
        }

        // equals / hashCode / toString
        c.line();
        c.line("@Override");
        c.open("public boolean equals(Object _other)");
        c.open("if (this == _other)");
        c.line("return true;");
        c.close();
        c.open("if (!(_other instanceof " + s.name() + " _o))");
        c.line("return false;");
        c.close();
        for (FieldSpec f : fields) {
            c.open("if (!(" + TypeCode.equalsExpr(f.type(), "this." + f.javaName(), "_o." + f.javaName()) + "))");
            c.line("return false;");
            c.close();
        }
        c.line("return true;");
        c.close();
        c.line();
        c.line("@Override");
        c.open("public int hashCode()");
        c.line("int _h = 0;");
        for (FieldSpec f : fields) {
            c.line("_h = 31 * _h + " + TypeCode.hashExpr(f.type(), "this." + f.javaName()) + ";");
        }
        c.line("return _h;");
        c.close();
        c.line();
        c.line("@Override");
        c.open("public String toString()");
        StringBuilder ts = new StringBuilder("return \"" + s.name() + "(\"");
        boolean firstField = true;
        for (FieldSpec f : fields) {
            ts.append("\n            + \"").append(firstField ? "" : ", ").append(f.javaName()).append("=\" + ")
                    .append(TypeCode.toStringExpr(f.type(), "this." + f.javaName()));
            firstField = false;
        }
        ts.append("\n            + \")\";");
        c.line(ts.toString());
        c.close();
    }

    private String taggedCondition(FieldSpec f) {
        String present = test(f.taggedVersions());
        String notDefault = "!(" + TypeCode.isDefault(f, "this." + f.javaName()) + ")";
        return present.equals("true") ? notDefault : present + " && " + notDefault;
    }

    private static String taggedSizeMethod(FieldSpec f) {
        return "_taggedSizeOf" + f.name();
    }

    private static String javadoc(String about) {
        return about.replace("*/", "*&#47;").replace("@", "{@literal @}").replace("<", "&lt;").replace(">", "&gt;");
    }
}

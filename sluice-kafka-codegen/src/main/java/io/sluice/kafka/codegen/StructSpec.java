package io.sluice.kafka.codegen;

import java.util.List;

/** A struct: the top-level message itself, an inline struct, or one of the message's common structs. */
record StructSpec(String name, List<FieldSpec> fields) {
}

package io.sluice.kafka.codegen;

/** Accumulates generated source with four-space indentation. Not thread-safe. */
final class CodeBuffer {

    private final StringBuilder sb = new StringBuilder(16 * 1024);
    private int indent;

    CodeBuffer line(String text) {
        if (!text.isEmpty()) {
            sb.append("    ".repeat(indent)).append(text);
        }
        sb.append('\n');
        return this;
    }

    CodeBuffer line() {
        return line("");
    }

    CodeBuffer open(String text) {
        line(text.isEmpty() ? "{" : text + " {");
        indent++;
        return this;
    }

    CodeBuffer close() {
        return close("}");
    }

    CodeBuffer close(String text) {
        indent--;
        return line(text);
    }

    /** Ends one block and opens the next at the same level: {@code } else {}. */
    CodeBuffer reopen(String text) {
        indent--;
        line("} " + text + " {");
        indent++;
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}

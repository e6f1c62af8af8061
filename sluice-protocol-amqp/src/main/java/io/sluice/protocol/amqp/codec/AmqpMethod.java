package io.sluice.protocol.amqp.codec;

/**
 * One AMQP 0-9-1 method: the payload of a method frame. Implementations are immutable records grouped by class
 * ({@link AmqpConnection}, {@link AmqpChannel}, {@link AmqpAccess}, {@link AmqpExchange}, {@link AmqpQueue},
 * {@link AmqpBasic}, {@link AmqpConfirm}, {@link AmqpTx}).
 *
 * <p>Method frame payload layout: uint16 class id, uint16 method id, then the method's fields in declaration order
 * as written by {@link #writeArguments}. Consecutive bit fields share octets (see {@link AmqpMethodWriter}). Fields
 * named {@code reserved-*} in the specification (access tickets, {@code known-hosts} and the like) are written as
 * zero or empty and ignored when read.
 */
public interface AmqpMethod {

    int classId();

    int methodId();

    /** The specification's dotted name, e.g. {@code basic.publish}, used in error texts. */
    String name();

    /** True for the methods that are followed by a content header and body frames. */
    default boolean hasContent() {
        return false;
    }

    /** Writes the fields after the class and method ids. */
    void writeArguments(AmqpMethodWriter out);
}

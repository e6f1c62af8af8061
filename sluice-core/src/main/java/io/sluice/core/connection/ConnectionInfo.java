package io.sluice.core.connection;

/**
 * A snapshot of one client connection, as listed by {@link ConnectionRegistry#list()}. Fields a protocol does not
 * tell (or has not told yet, before authentication) are null.
 *
 * @param id               broker-unique id, never reused while the broker runs
 * @param protocol         the listener's protocol name ({@code kafka}, {@code amqp}, {@code nats}, {@code resp})
 * @param remoteAddress    the client's address, {@code host:port}
 * @param localAddress     the listener's address the client connected to, {@code host:port}
 * @param user             authenticated user name
 * @param tenant           tenant the connection works in
 * @param namespace        namespace (AMQP virtual host) the connection works in
 * @param clientName       name the client gave itself (AMQP {@code connection_name}, NATS {@code name}, Redis
 *                         {@code CLIENT SETNAME})
 * @param clientId         client id the protocol carries (Kafka {@code client.id})
 * @param connectedAtMs    when the connection was accepted, broker clock milliseconds
 * @param receivedBytes    bytes read from the socket
 * @param sentBytes        bytes written to the socket
 * @param receivedMessages messages published by the client (only protocols that count them; 0 otherwise)
 * @param sentMessages     messages delivered to the client (only protocols that count them; 0 otherwise)
 * @param errors           exceptions raised on the connection's pipeline
 */
public record ConnectionInfo(long id, String protocol, String remoteAddress, String localAddress, String user,
                             String tenant, String namespace, String clientName, String clientId, long connectedAtMs,
                             long receivedBytes, long sentBytes, long receivedMessages, long sentMessages,
                             long errors) {
}

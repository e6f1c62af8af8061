/**
 * The Redis (RESP2/RESP3) protocol plug-in: {@link io.sluice.protocol.resp.RespProtocolPlugin}, registered through
 * {@code META-INF/services}. {@code codec} holds the pure wire format, {@code session} the commands.
 */
package io.sluice.protocol.resp;

/**
 * The Redis wire protocol as pure bytes and frames, with no broker knowledge: {@link
 * io.sluice.protocol.resp.codec.RespCommandDecoder} turns client bytes into commands (RESP arrays or inline lines, with
 * redis-server's limits and error texts) and {@link io.sluice.protocol.resp.codec.RespReplyEncoder} turns
 * {@link io.sluice.protocol.resp.codec.RespReply} trees into RESP2 or RESP3 bytes.
 */
package io.sluice.protocol.resp.codec;

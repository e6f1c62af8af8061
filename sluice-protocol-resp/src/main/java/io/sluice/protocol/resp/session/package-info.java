/**
 * Redis commands on the core API: {@link io.sluice.protocol.resp.session.RespHandlers} builds each connection's
 * pipeline, {@link io.sluice.protocol.resp.session.RespSession} runs its commands in order, and one class per concern
 * implements them (connection, streams, consumer groups, XINFO, pub/sub). Redis streams live in core streams through
 * {@link io.sluice.protocol.resp.session.RespStreamStore}; the mapping of ids, fields and deletions is documented on
 * {@link io.sluice.protocol.resp.RespProtocolPlugin}.
 */
package io.sluice.protocol.resp.session;

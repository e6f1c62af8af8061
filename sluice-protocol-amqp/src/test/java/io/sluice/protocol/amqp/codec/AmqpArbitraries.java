package io.sluice.protocol.amqp.codec;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Generators for codec values, shared by the property tests. */
final class AmqpArbitraries {

    private AmqpArbitraries() {
    }

    /** Short strings: no lone surrogates (they do not survive UTF-8), at most 255 UTF-8 bytes. */
    static Arbitrary<String> shortStr() {
        return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(60);
    }

    static Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }

    static Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    static Arbitrary<Integer> i32() {
        return Arbitraries.integers();
    }

    static Arbitrary<Boolean> bit() {
        return Arbitraries.of(true, false);
    }

    static Arbitrary<AmqpValue> scalar() {
        return Arbitraries.oneOf(List.of(
                bit().map(AmqpValue.Bool::new),
                Arbitraries.bytes().map(AmqpValue.Int8::new),
                Arbitraries.shorts().between((short) 0, (short) 255).map(AmqpValue.UInt8::new),
                Arbitraries.shorts().map(AmqpValue.Int16::new),
                u16().map(AmqpValue.UInt16::new),
                Arbitraries.integers().map(AmqpValue.Int32::new),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(AmqpValue.UInt32::new),
                Arbitraries.longs().map(AmqpValue.Int64::new),
                Arbitraries.longs().map(AmqpValue.UInt64::new),
                Arbitraries.floats().map(AmqpValue.Float32::new),
                Arbitraries.doubles().map(AmqpValue.Float64::new),
                Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers())
                        .as(AmqpValue.Decimal::new),
                bytes().map(AmqpValue.LongString::new),
                bytes().map(AmqpValue.ByteArray::new),
                Arbitraries.longs().map(AmqpValue.Timestamp::new),
                Arbitraries.just(AmqpValue.Void.INSTANCE)));
    }

    static Arbitrary<AmqpValue> value(int depth) {
        if (depth <= 0) {
            return scalar();
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalar()),
                net.jqwik.api.Tuple.of(1, table(depth - 1).map(AmqpValue.Table::new)),
                net.jqwik.api.Tuple.of(1, value(depth - 1).list().ofMaxSize(4).map(AmqpValue.Array::new)));
    }

    static Arbitrary<AmqpTable> table(int depth) {
        return Combinators.combine(shortStr().list().ofMaxSize(5).uniqueElements(), value(depth).list().ofSize(5))
                .as((names, values) -> {
                    LinkedHashMap<String, AmqpValue> m = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        m.put(names.get(i), values.get(i));
                    }
                    return AmqpTable.of(m);
                });
    }

    static Arbitrary<AmqpTable> table() {
        return table(2);
    }

    static Arbitrary<AmqpBasicProperties> properties() {
        Arbitrary<Object> s = shortStr().injectNull(0.4).map(x -> x);
        Arbitrary<Object> octet = Arbitraries.integers().between(0, 255).injectNull(0.4).map(x -> x);
        List<Arbitrary<Object>> parts = List.of(s, s, table().injectNull(0.4).map(x -> x), octet, octet, s, s, s, s,
                Arbitraries.longs().injectNull(0.4).map(x -> x), s, s, s, s);
        return Combinators.combine(parts)
                .as(v -> new AmqpBasicProperties((String) v.get(0), (String) v.get(1), (AmqpTable) v.get(2),
                        (Integer) v.get(3), (Integer) v.get(4), (String) v.get(5), (String) v.get(6),
                        (String) v.get(7), (String) v.get(8), (Long) v.get(9), (String) v.get(10),
                        (String) v.get(11), (String) v.get(12), (String) v.get(13)));
    }

    /** Every method of every class, with random fields. */
    static Arbitrary<AmqpMethod> method() {
        Arbitrary<String> s = shortStr();
        Arbitrary<Boolean> b = bit();
        Arbitrary<AmqpTable> t = table(1);
        Arbitrary<Long> tag = Arbitraries.longs();
        List<Arbitrary<? extends AmqpMethod>> all = new ArrayList<>();
        // connection
        all.add(Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255), t,
                bytes(), bytes()).as(AmqpConnection.Start::new));
        all.add(Combinators.combine(t, s, bytes(), s).as(AmqpConnection.StartOk::new));
        all.add(bytes().map(AmqpConnection.Secure::new));
        all.add(bytes().map(AmqpConnection.SecureOk::new));
        all.add(Combinators.combine(u16(), i32(), u16()).as(AmqpConnection.Tune::new));
        all.add(Combinators.combine(u16(), i32(), u16()).as(AmqpConnection.TuneOk::new));
        all.add(s.map(AmqpConnection.Open::new));
        all.add(Arbitraries.just(new AmqpConnection.OpenOk()));
        all.add(Combinators.combine(u16(), s, u16(), u16()).as(AmqpConnection.Close::new));
        all.add(Arbitraries.just(new AmqpConnection.CloseOk()));
        all.add(s.map(AmqpConnection.Blocked::new));
        all.add(Arbitraries.just(new AmqpConnection.Unblocked()));
        all.add(Combinators.combine(bytes(), s).as(AmqpConnection.UpdateSecret::new));
        all.add(Arbitraries.just(new AmqpConnection.UpdateSecretOk()));
        // channel
        all.add(Arbitraries.just(new AmqpChannel.Open()));
        all.add(Arbitraries.just(new AmqpChannel.OpenOk()));
        all.add(b.map(AmqpChannel.Flow::new));
        all.add(b.map(AmqpChannel.FlowOk::new));
        all.add(Combinators.combine(u16(), s, u16(), u16()).as(AmqpChannel.Close::new));
        all.add(Arbitraries.just(new AmqpChannel.CloseOk()));
        // access
        all.add(Combinators.combine(s, b, b, b, b, b).as(AmqpAccess.Request::new));
        all.add(Arbitraries.just(new AmqpAccess.RequestOk()));
        // exchange
        all.add(Combinators.combine(s, s, b, b, b, b, b, t).as(AmqpExchange.Declare::new));
        all.add(Arbitraries.just(new AmqpExchange.DeclareOk()));
        all.add(Combinators.combine(s, b, b).as(AmqpExchange.Delete::new));
        all.add(Arbitraries.just(new AmqpExchange.DeleteOk()));
        all.add(Combinators.combine(s, s, s, b, t).as(AmqpExchange.Bind::new));
        all.add(Arbitraries.just(new AmqpExchange.BindOk()));
        all.add(Combinators.combine(s, s, s, b, t).as(AmqpExchange.Unbind::new));
        all.add(Arbitraries.just(new AmqpExchange.UnbindOk()));
        // queue
        all.add(Combinators.combine(s, b, b, b, b, b, t).as(AmqpQueue.Declare::new));
        all.add(Combinators.combine(s, i32(), i32()).as(AmqpQueue.DeclareOk::new));
        all.add(Combinators.combine(s, s, s, b, t).as(AmqpQueue.Bind::new));
        all.add(Arbitraries.just(new AmqpQueue.BindOk()));
        all.add(Combinators.combine(s, b).as(AmqpQueue.Purge::new));
        all.add(i32().map(AmqpQueue.PurgeOk::new));
        all.add(Combinators.combine(s, b, b, b).as(AmqpQueue.Delete::new));
        all.add(i32().map(AmqpQueue.DeleteOk::new));
        all.add(Combinators.combine(s, s, s, t).as(AmqpQueue.Unbind::new));
        all.add(Arbitraries.just(new AmqpQueue.UnbindOk()));
        // basic
        all.add(Combinators.combine(i32(), u16(), b).as(AmqpBasic.Qos::new));
        all.add(Arbitraries.just(new AmqpBasic.QosOk()));
        all.add(Combinators.combine(s, s, b, b, b, b, t).as(AmqpBasic.Consume::new));
        all.add(s.map(AmqpBasic.ConsumeOk::new));
        all.add(Combinators.combine(s, b).as(AmqpBasic.Cancel::new));
        all.add(s.map(AmqpBasic.CancelOk::new));
        all.add(Combinators.combine(s, s, b, b).as(AmqpBasic.Publish::new));
        all.add(Combinators.combine(u16(), s, s, s).as(AmqpBasic.Return::new));
        all.add(Combinators.combine(s, tag, b, s, s).as(AmqpBasic.Deliver::new));
        all.add(Combinators.combine(s, b).as(AmqpBasic.Get::new));
        all.add(Combinators.combine(tag, b, s, s, i32()).as(AmqpBasic.GetOk::new));
        all.add(Arbitraries.just(new AmqpBasic.GetEmpty()));
        all.add(Combinators.combine(tag, b).as(AmqpBasic.Ack::new));
        all.add(Combinators.combine(tag, b).as(AmqpBasic.Reject::new));
        all.add(b.map(AmqpBasic.RecoverAsync::new));
        all.add(b.map(AmqpBasic.Recover::new));
        all.add(Arbitraries.just(new AmqpBasic.RecoverOk()));
        all.add(Combinators.combine(tag, b, b).as(AmqpBasic.Nack::new));
        // confirm, tx
        all.add(b.map(AmqpConfirm.Select::new));
        all.add(Arbitraries.just(new AmqpConfirm.SelectOk()));
        all.add(Arbitraries.of(new AmqpTx.Select(), new AmqpTx.SelectOk(), new AmqpTx.Commit(), new AmqpTx.CommitOk(),
                new AmqpTx.Rollback(), new AmqpTx.RollbackOk()));
        return Arbitraries.oneOf(all);
    }
}

package io.sluice.protocol.amqp.codec;

/** The methods of class {@code tx} (id 90): standard transactions on one channel. */
public final class AmqpTx {

    public static final int CLASS_ID = 90;

    private AmqpTx() {
    }

    static AmqpMethod decode(int methodId, AmqpMethodReader r) {
        return switch (methodId) {
            case 10 -> new Select();
            case 11 -> new SelectOk();
            case 20 -> new Commit();
            case 21 -> new CommitOk();
            case 30 -> new Rollback();
            case 31 -> new RollbackOk();
            default -> null;
        };
    }

    public record Select() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 10; }
        public String name() { return "tx.select"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record SelectOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 11; }
        public String name() { return "tx.select-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record Commit() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 20; }
        public String name() { return "tx.commit"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record CommitOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 21; }
        public String name() { return "tx.commit-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record Rollback() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 30; }
        public String name() { return "tx.rollback"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record RollbackOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 31; }
        public String name() { return "tx.rollback-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }
}

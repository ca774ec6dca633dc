package io.ragmail.it;

import io.ragmail.core.Delivery;
import io.ragmail.core.MailSink;
import io.ragmail.core.OutboundReply;

/** A real sink in a process that dies right after a delivery went out: see {@link CrashSwitch}. */
final class CrashingSink implements MailSink {

    private final MailSink sink;
    private final CrashSwitch crash;
    private final boolean crashAfterDelivery;

    CrashingSink(MailSink sink, CrashSwitch crash, boolean crashAfterDelivery) {
        this.sink = sink;
        this.crash = crash;
        this.crashAfterDelivery = crashAfterDelivery;
    }

    @Override
    public void deliver(OutboundReply reply) {
        crash.checkAlive("before delivery");
        sink.deliver(reply);
        if (crashAfterDelivery) {
            crash.afterStep("after delivering " + reply.messageId());
        }
    }

    @Override
    public Delivery findDelivered(String messageId) {
        crash.checkAlive("findDelivered");
        return sink.findDelivered(messageId);
    }

    @Override
    public String name() {
        return sink.name();
    }

    @Override
    public void close() {
        sink.close();
    }
}

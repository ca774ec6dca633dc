package io.ragmail.core;

import java.util.Optional;

/** An ERP client that knows no customer; for pipelines without an ERP. */
public final class NoopErpClient implements ErpClient {

    public static final NoopErpClient INSTANCE = new NoopErpClient();

    private NoopErpClient() {
    }

    @Override
    public Optional<CustomerFacts> factsFor(SenderIdentity sender) {
        return Optional.empty();
    }
}

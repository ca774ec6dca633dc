package io.ragmail.daemon.runtime;

import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.ReviewDecision;
import io.ragmail.core.ReviewPolicy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code ragmail.budget.daily}: once today's model cost reaches the cap, every further reply goes to
 * review (a person decides whether it goes out) and {@code onExceeded} raises the alert. Drafting
 * itself goes on, since stopping it would leave customers without even a draft.
 *
 * <pre>{@code
 * ReviewPolicy policy = new BudgetGuard(ReviewPolicy.builder().build(), new BigDecimal("5"), "EUR", stats,
 *         spent -> alerter.raise("budget", "daily budget exceeded", spent.toPlainString()));
 * }</pre>
 */
public final class BudgetGuard implements ReviewPolicy {

    private final ReviewPolicy delegate;
    private final BigDecimal cap;
    private final String currency;
    private final DaemonStats stats;
    private final Consumer<BigDecimal> onExceeded;

    public BudgetGuard(ReviewPolicy delegate, BigDecimal cap, String currency, DaemonStats stats, Consumer<BigDecimal> onExceeded) {
        this.delegate = delegate;
        this.cap = cap;
        this.currency = currency;
        this.stats = stats;
        this.onExceeded = onExceeded;
    }

    public boolean exceeded() {
        return cap.signum() > 0 && stats.costToday().compareTo(cap) >= 0;
    }

    @Override
    public ReviewDecision decide(DraftRequest request, Draft draft) {
        ReviewDecision decision = delegate.decide(request, draft);
        if (!exceeded()) {
            return decision;
        }
        BigDecimal spent = stats.costToday();
        onExceeded.accept(spent);
        List<String> reasons = new ArrayList<>(decision.reasons());
        reasons.add("daily budget of " + cap.toPlainString() + " " + currency + " reached (" + spent.toPlainString()
                + " spent today): every reply is reviewed until midnight");
        return ReviewDecision.review(reasons);
    }
}

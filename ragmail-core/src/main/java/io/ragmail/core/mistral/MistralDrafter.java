package io.ragmail.core.mistral;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.mistralai.MistralAiChatModel;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.ragmail.core.AuthenticationException;
import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.Drafter;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.Passage;
import io.ragmail.core.RetriableException;
import io.ragmail.core.Sleeper;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.internal.Settings;
import io.ragmail.core.mistral.internal.DraftJson;
import io.ragmail.core.mistral.internal.JdkMistralHttpClient;
import io.ragmail.core.mistral.internal.MistralFailure;
import io.ragmail.core.mistral.internal.MistralSettings;
import io.ragmail.core.mistral.internal.MistralPrompt;
import io.ragmail.core.mistral.internal.OutputGuard;
import io.ragmail.core.mistral.internal.TokenBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drafts replies with Mistral AI's chat completions API, through langchain4j's {@code MistralAiChatModel}
 * in JSON mode. The customer's mail is passed as delimited untrusted data next to the retrieved
 * passages (with their ids) and the sender's ERP facts; the model answers with a JSON object
 * ({@code reply}, {@code language}, {@code confidence}, {@code used_sources}, {@code needs_human},
 * {@code reason}) that becomes a {@link Draft}.
 *
 * <p>Every HTTP request passes a client-side rate limiter (requests per second and tokens per minute)
 * and a circuit breaker; 429, 5xx, timeouts and dropped connections are retried with exponential
 * backoff and jitter, honouring {@code Retry-After}. When they persist, {@link #draft} throws
 * {@link RetriableException} (with the wait Mistral asked for) so the mail waits in RETRY; a rejected
 * key throws {@link AuthenticationException} at once. A prompt too long for the model is retried once
 * with fewer, shorter passages. An answer that is not the JSON asked for is re-asked once; after that
 * the draft comes back with {@code needsHuman} and an empty text: the model's raw output is never
 * used as a reply.
 *
 * <p>When the pipeline withheld the sender's private data ({@link DraftRequest#privateDataWithheld()}),
 * the prompt tells the model to answer the general question only, never to invent account data, and
 * to ask the customer to write from their registered address. An output guard sends a draft to review
 * (with the reason) when the reply repeats a run of the system prompt word for word
 * ({@link Builder#promptEchoWords}), contains the prompt's untrusted-data markers, or when the JSON
 * answer tried to set recipients or headers: the usual signs of a mail steering the model.
 *
 * <pre>{@code
 * MistralDrafter drafter = MistralDrafter.builder()
 *         .apiKey(apiKey)
 *         .modelName("mistral-small-latest")
 *         .requestsPerSecond(10)          // your account's tier
 *         .tokensPerMinute(2_000_000)
 *         .build();
 * Draft draft = drafter.draft(request);
 * drafter.close();                     // after the pipeline that uses it
 * }</pre>
 *
 * <p>{@link #close()} ends the HTTP client's threads; a draft asked for afterwards fails with
 * {@link IllegalStateException}.
 */
public final class MistralDrafter implements Drafter, AutoCloseable {

    public static final String DEFAULT_BASE_URL = "https://api.mistral.ai/v1";
    public static final String DEFAULT_MODEL = "mistral-small-latest";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The optional dependency of ragmail-core that this drafter needs. */
    public static final String MISTRAL_CLIENT_ARTIFACT = MistralSettings.CLIENT_ARTIFACT;
    public static final double DEFAULT_TEMPERATURE = 0.2;
    public static final int DEFAULT_MAX_TOKENS = 1024;
    public static final String DEFAULT_COMPANY_NAME = "our company";
    public static final int DEFAULT_MAX_PASSAGES = 8;
    public static final int DEFAULT_MAX_PASSAGE_CHARS = 4_000;
    public static final int DEFAULT_MAX_MAIL_CHARS = 20_000;
    /** Mistral's free tier allows about one request per second; raise it to your tier. */
    public static final double DEFAULT_REQUESTS_PER_SECOND = 1.0;
    public static final long DEFAULT_TOKENS_PER_MINUTE = 500_000;
    public static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofMinutes(2);
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);
    public static final int DEFAULT_FAILURES_TO_OPEN = 5;
    public static final Duration DEFAULT_OPEN_WAIT = Duration.ofSeconds(60);
    /** A reply repeating this many consecutive words of the system prompt goes to review. */
    public static final int DEFAULT_PROMPT_ECHO_WORDS = 12;

    private static final Logger LOG = LoggerFactory.getLogger(MistralDrafter.class);
    private static final String COMPONENT = "mistral";

    private final MistralAiChatModel model;
    private final String modelName;
    private final String companyName;
    private final int maxPassages;
    private final int maxPassageChars;
    private final int maxMailChars;
    private final int maxTokens;
    private final Duration maxRetryAfter;
    private final Duration openWait;
    private final Clock clock;
    private final OutputGuard guard;
    private final RateLimiter requestLimiter;
    private final TokenBudget tokenBudget;
    private final CircuitBreaker circuit;
    private final Retry retry;
    private final AtomicReference<Instant> openedAt = new AtomicReference<>(Instant.EPOCH);
    /** Closes the HTTP clients langchain4j had our builder make. */
    private final Runnable closeHttpClients;
    private volatile boolean closed;

    private MistralDrafter(Builder b) {
        this.modelName = b.modelName;
        this.companyName = b.companyName;
        this.maxPassages = b.maxPassages;
        this.maxPassageChars = b.maxPassageChars;
        this.maxMailChars = b.maxMailChars;
        this.maxTokens = b.maxTokens;
        this.maxRetryAfter = b.maxRetryAfter;
        this.openWait = b.openWait;
        this.clock = b.clock;
        this.guard = new OutputGuard(b.promptEchoWords);
        HttpClientBuilder httpClients = JdkMistralHttpClient.builder(b.clock);
        this.closeHttpClients = JdkMistralHttpClient.closer(httpClients);
        this.model = MistralAiChatModel.builder()
                .httpClientBuilder(httpClients)
                .apiKey(b.apiKey)
                .baseUrl(b.baseUrl)
                .modelName(b.modelName)
                .timeout(b.timeout)
                .temperature(b.temperature)
                .maxTokens(b.maxTokens)
                .responseFormat(ResponseFormat.JSON)
                .maxRetries(0) // our Retry below is the only retry layer
                .logRequests(false)
                .logResponses(false)
                .build();
        long periodNanos = Math.max(1, Math.round(1_000_000_000L / b.requestsPerSecond));
        this.requestLimiter = RateLimiter.of(COMPONENT, RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(b.rateLimitWait)
                .build());
        this.tokenBudget = new TokenBudget(b.tokensPerMinute, b.clock, b.sleeper);
        this.circuit = CircuitBreaker.of(COMPONENT, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.failuresToOpen)
                .minimumNumberOfCalls(b.failuresToOpen)
                .failureRateThreshold(100.0f)
                .slowCallRateThreshold(100.0f)
                .slowCallDurationThreshold(b.timeout.multipliedBy(10))
                .waitDurationInOpenState(b.openWait)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(MistralDrafter::isTransient)
                .ignoreException(t -> !isTransient(t))
                .clock(b.clock)
                .build());
        circuit.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAt.set(clock.instant());
                LOG.warn("Mistral circuit breaker opened ({} from {}); calls fail fast for {}",
                        "repeated failures", e.getStateTransition().getFromState(), b.openWait);
            } else {
                LOG.info("Mistral circuit breaker {}", e.getStateTransition());
            }
        });
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(b.initialBackoff, 2.0, 0.5, b.maxBackoff);
        this.retry = Retry.of(COMPONENT, RetryConfig.<ChatResponse>custom()
                .maxAttempts(b.maxAttempts)
                .failAfterMaxAttempts(false)
                .retryOnException(this::shouldRetry)
                .intervalBiFunction((attempt, outcome) -> {
                    if (outcome.isLeft() && outcome.getLeft() instanceof MistralFailure f && f.retryAfter().isPresent()) {
                        long ms = f.retryAfter().get().toMillis();
                        return ms + ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(250, ms / 10 + 1)));
                    }
                    return backoff.apply(attempt);
                })
                .build());
        retry.getEventPublisher().onRetry(e -> LOG.warn("Mistral call failed ({}); retry {} in {} ms",
                e.getLastThrowable() == null ? "?" : e.getLastThrowable().getMessage(),
                e.getNumberOfRetryAttempts(), e.getWaitInterval().toMillis()));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Draft draft(DraftRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("the Mistral drafter is closed");
        }
        Instant started = clock.instant();
        AtomicInteger requests = new AtomicInteger();
        List<Passage> passages = request.passages().size() > maxPassages
                ? request.passages().subList(0, maxPassages) : request.passages();
        int passageChars = maxPassageChars;
        TokenUsage total = TokenUsage.NONE;
        boolean shrunk = false;
        String formatProblem = null;
        while (true) {
            MistralPrompt prompt = MistralPrompt.build(companyName, request.mail(), passages, request.customerFacts(),
                    request.privateDataWithheld(), maxMailChars, passageChars);
            List<ChatMessage> messages = new ArrayList<>();
            messages.add(SystemMessage.from(prompt.system()));
            messages.add(UserMessage.from(prompt.user()));
            if (formatProblem != null) {
                messages.add(UserMessage.from("Your previous answer could not be used: " + formatProblem
                        + ". Answer again with only the JSON object described, with all six fields."));
            }
            ChatResponse response;
            try {
                response = call(messages, prompt.estimatedTokens() + maxTokens, requests);
            } catch (MistralFailure f) {
                if (f.kind() == MistralFailure.Kind.CONTEXT_TOO_LONG) {
                    if (!shrunk && !passages.isEmpty()) {
                        shrunk = true;
                        passages = passages.subList(0, (passages.size() + 1) / 2);
                        passageChars = Math.max(200, passageChars / 2);
                        LOG.info("prompt too long for {}; retrying with {} passages of at most {} characters",
                                modelName, passages.size(), passageChars);
                        continue;
                    }
                    return finish(human("the mail and its passages are too long for the model's context window, "
                            + "even with fewer passages", total), started, requests);
                }
                throw translate(f, requests.get());
            }
            TokenUsage usage = usageOf(response, prompt);
            total = total.plus(usage);
            String content = response.aiMessage() == null ? null : response.aiMessage().text();
            DraftJson.Parsed parsed = DraftJson.parse(content);
            if (parsed.ok()) {
                List<String> problems = guard.problems(parsed.reply(), prompt, parsed.extraFields());
                if (!problems.isEmpty()) {
                    LOG.warn("{}: Mistral's reply goes to review: {}", request.mail().key(), String.join("; ", problems));
                    List<String> reasons = new ArrayList<>(problems);
                    if (parsed.needsHuman()) {
                        reasons.add(parsed.reason());
                    }
                    // kept for the reviewer to see; needsHuman keeps it from the customer
                    return finish(new Draft(parsed.reply(), parsed.language(), parsed.confidence(), parsed.usedSources(),
                            true, String.join("; ", reasons), total), started, requests);
                }
                return finish(new Draft(parsed.reply(), parsed.language(), parsed.confidence(), parsed.usedSources(),
                        parsed.needsHuman(), parsed.reason(), total), started, requests);
            }
            if (formatProblem == null) {
                formatProblem = parsed.problem();
                LOG.warn("Mistral's answer could not be used ({}); asking once more", formatProblem);
                continue;
            }
            return finish(human("Mistral's answer could not be used twice: " + parsed.problem(), total), started, requests);
        }
    }

    public String modelName() {
        return modelName;
    }

    /**
     * Releases the HTTP client's threads; idempotent. A draft in progress fails; later ones throw
     * {@link IllegalStateException}. Close the pipeline that uses this drafter first.
     */
    @Override
    public void close() {
        closed = true;
        closeHttpClients.run();
    }

    /** Whether calls currently fail fast because Mistral failed repeatedly. */
    public boolean isCircuitOpen() {
        return circuit.getState() == CircuitBreaker.State.OPEN;
    }

    // ---------------------------------------------------------------------------------------------

    private ChatResponse call(List<ChatMessage> messages, long estimatedTokens, AtomicInteger requests) {
        ChatRequest chatRequest = ChatRequest.builder().messages(messages).build();
        try {
            return retry.executeSupplier(() -> attempt(chatRequest, estimatedTokens, requests));
        } catch (CallNotPermittedException open) {
            Duration remaining = Duration.between(clock.instant(), openedAt.get().plus(openWait));
            if (remaining.isNegative()) {
                remaining = Duration.ZERO;
            }
            throw new RetriableException(COMPONENT, "Mistral circuit breaker is open after repeated failures; "
                    + "next try in " + remaining.toSeconds() + " s", null, remaining);
        } catch (RequestNotPermitted limited) {
            throw new RetriableException(COMPONENT, "client-side Mistral rate limit: no request slot within the wait limit",
                    null, Duration.ofSeconds(1));
        }
    }

    private ChatResponse attempt(ChatRequest chatRequest, long estimatedTokens, AtomicInteger requests) {
        if (!circuit.tryAcquirePermission()) {
            throw CallNotPermittedException.createCallNotPermittedException(circuit);
        }
        try {
            RateLimiter.waitForPermission(requestLimiter);
            tokenBudget.acquire(estimatedTokens);
        } catch (InterruptedException e) {
            circuit.releasePermission();
            Thread.currentThread().interrupt();
            throw new MistralFailure(MistralFailure.Kind.INTERRUPTED, 0, "interrupted while waiting for a Mistral slot", null, e);
        } catch (RuntimeException e) {
            circuit.releasePermission();
            throw e;
        }
        long start = circuit.getCurrentTimestamp();
        requests.incrementAndGet();
        try {
            ChatResponse response = model.chat(chatRequest);
            circuit.onSuccess(circuit.getCurrentTimestamp() - start, circuit.getTimestampUnit());
            long used = response.tokenUsage() == null || response.tokenUsage().totalTokenCount() == null
                    ? estimatedTokens : response.tokenUsage().totalTokenCount();
            tokenBudget.settle(estimatedTokens, used);
            return response;
        } catch (RuntimeException e) {
            MistralFailure failure = MistralFailure.classify(e);
            circuit.onError(circuit.getCurrentTimestamp() - start, circuit.getTimestampUnit(), failure);
            throw failure;
        }
    }

    private boolean shouldRetry(Throwable t) {
        if (!(t instanceof MistralFailure f) || !f.isTransient()) {
            return false;
        }
        // A wait longer than we are willing to block a worker for is left to the pipeline's RETRY schedule.
        return f.retryAfter().map(d -> d.compareTo(maxRetryAfter) <= 0).orElse(true);
    }

    private static boolean isTransient(Throwable t) {
        return t instanceof MistralFailure f && f.isTransient();
    }

    private RuntimeException translate(MistralFailure f, int requests) {
        switch (f.kind()) {
            case AUTHENTICATION:
                return new AuthenticationException(COMPONENT, f.getMessage() + "; check the Mistral API key");
            case REJECTED:
                return new NonRetriableException(COMPONENT, f.getMessage(), f);
            case INTERRUPTED:
                Thread.currentThread().interrupt();
                return new RetriableException(COMPONENT, f.getMessage(), f);
            default:
                return new RetriableException(COMPONENT, f.getMessage() + " (" + requests + " request"
                        + (requests == 1 ? "" : "s") + ")", f, f.retryAfter().orElse(null));
        }
    }

    private static TokenUsage usageOf(ChatResponse response, MistralPrompt prompt) {
        dev.langchain4j.model.output.TokenUsage u = response.tokenUsage();
        if (u == null || u.inputTokenCount() == null || u.outputTokenCount() == null) {
            String text = response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
            return new TokenUsage(prompt.estimatedTokens(), text.length() / 4);
        }
        return new TokenUsage(u.inputTokenCount(), u.outputTokenCount());
    }

    private static Draft human(String reason, TokenUsage usage) {
        return new Draft("", "und", 0.0, List.of(), true, reason, usage);
    }

    private Draft finish(Draft draft, Instant started, AtomicInteger requests) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("draft by {}: {} input and {} output tokens, {} request(s), {} ms", modelName,
                    draft.usage().inputTokens(), draft.usage().outputTokens(), requests.get(),
                    Duration.between(started, clock.instant()).toMillis());
        }
        return draft;
    }

    /** Builds a {@link MistralDrafter}; {@link #build()} validates every setting. */
    public static final class Builder {
        private String apiKey;
        private String baseUrl = DEFAULT_BASE_URL;
        private String modelName = DEFAULT_MODEL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private double temperature = DEFAULT_TEMPERATURE;
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private String companyName = DEFAULT_COMPANY_NAME;
        private int maxPassages = DEFAULT_MAX_PASSAGES;
        private int maxPassageChars = DEFAULT_MAX_PASSAGE_CHARS;
        private int maxMailChars = DEFAULT_MAX_MAIL_CHARS;
        private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
        private long tokensPerMinute = DEFAULT_TOKENS_PER_MINUTE;
        private Duration rateLimitWait = DEFAULT_RATE_LIMIT_WAIT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private int failuresToOpen = DEFAULT_FAILURES_TO_OPEN;
        private Duration openWait = DEFAULT_OPEN_WAIT;
        private int promptEchoWords = DEFAULT_PROMPT_ECHO_WORDS;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder() {
        }

        /** The Mistral API key (required). Never logged. */
        public Builder apiKey(String apiKey) { this.apiKey = apiKey; return this; }

        /** The API's base URL, {@value #DEFAULT_BASE_URL} by default. */
        public Builder baseUrl(String baseUrl) { this.baseUrl = baseUrl; return this; }

        public Builder modelName(String modelName) { this.modelName = modelName; return this; }

        /** How long one HTTP request may take before it counts as timed out. */
        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

        public Builder temperature(double temperature) { this.temperature = temperature; return this; }

        /** The most tokens the reply may have. */
        public Builder maxTokens(int maxTokens) { this.maxTokens = maxTokens; return this; }

        /** The company the assistant writes for, named in the system prompt. */
        public Builder companyName(String companyName) { this.companyName = companyName; return this; }

        /** The most passages put in a prompt (the highest ranked are kept). */
        public Builder maxPassages(int maxPassages) { this.maxPassages = maxPassages; return this; }

        /** Passages longer than this are cut. */
        public Builder maxPassageChars(int maxPassageChars) { this.maxPassageChars = maxPassageChars; return this; }

        /** Mail bodies longer than this are cut. */
        public Builder maxMailChars(int maxMailChars) { this.maxMailChars = maxMailChars; return this; }

        /** The account's request rate; requests are spaced evenly to stay under it. */
        public Builder requestsPerSecond(double requestsPerSecond) { this.requestsPerSecond = requestsPerSecond; return this; }

        /** The account's tokens per minute (input and output); 0 = unlimited. */
        public Builder tokensPerMinute(long tokensPerMinute) { this.tokensPerMinute = tokensPerMinute; return this; }

        /** The longest a call waits for a request slot before failing as retriable. */
        public Builder rateLimitWait(Duration rateLimitWait) { this.rateLimitWait = rateLimitWait; return this; }

        /** HTTP requests per call at most, the first included (1 = no retry). */
        public Builder maxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; return this; }

        /** The first backoff; it doubles per retry, with ±50% jitter, up to {@link #maxBackoff}. */
        public Builder initialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; return this; }

        public Builder maxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; return this; }

        /** The longest {@code Retry-After} waited for within a call; longer ones go to the pipeline's RETRY. */
        public Builder maxRetryAfter(Duration maxRetryAfter) { this.maxRetryAfter = maxRetryAfter; return this; }

        /** Consecutive failed requests that open the circuit breaker. */
        public Builder failuresToOpen(int failuresToOpen) { this.failuresToOpen = failuresToOpen; return this; }

        /** How long the open circuit fails fast before one trial request is let through. */
        public Builder openWait(Duration openWait) { this.openWait = openWait; return this; }

        /**
         * The output guard: a reply that repeats this many consecutive words of the system prompt
         * (case and punctuation ignored) goes to review as a prompt disclosure; default
         * {@value MistralDrafter#DEFAULT_PROMPT_ECHO_WORDS}, at least 5.
         */
        public Builder promptEchoWords(int words) { this.promptEchoWords = words; return this; }

        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /** Used where the token budget waits. */
        public Builder sleeper(Sleeper sleeper) { this.sleeper = sleeper; return this; }

        /** langchain4j's Mistral client is an optional dependency of ragmail-core: say which one is missing. */
        public MistralDrafter build() {
            MistralSettings.requireClient();
            MistralSettings.requireConnection(apiKey, baseUrl, DEFAULT_BASE_URL, modelName, DEFAULT_MODEL, timeout);
            if (!(temperature >= 0.0 && temperature <= 1.5)) {
                throw new IllegalArgumentException("temperature must be within 0..1.5, was " + temperature);
            }
            atLeast(maxTokens, 16, "maxTokens");
            if (companyName == null || companyName.isBlank()) {
                throw new IllegalArgumentException("companyName must not be blank");
            }
            atLeast(maxPassages, 0, "maxPassages");
            atLeast(maxPassageChars, 200, "maxPassageChars");
            atLeast(maxMailChars, 200, "maxMailChars");
            if (!(requestsPerSecond > 0 && requestsPerSecond <= 1000)) {
                throw new IllegalArgumentException("requestsPerSecond must be within (0, 1000], was " + requestsPerSecond);
            }
            if (tokensPerMinute < 0) {
                throw new IllegalArgumentException("tokensPerMinute must be at least 0 (0 = unlimited), was " + tokensPerMinute);
            }
            positive(rateLimitWait, "rateLimitWait");
            atLeast(maxAttempts, 1, "maxAttempts");
            positive(initialBackoff, "initialBackoff");
            positive(maxBackoff, "maxBackoff");
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff must be at least initialBackoff (" + initialBackoff
                        + "), was " + maxBackoff);
            }
            Settings.required(maxRetryAfter, "maxRetryAfter");
            if (maxRetryAfter.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfter must not be negative, was " + maxRetryAfter);
            }
            atLeast(failuresToOpen, 1, "failuresToOpen");
            positive(openWait, "openWait");
            atLeast(promptEchoWords, 5, "promptEchoWords");
            Settings.required(clock, "clock");
            Settings.required(sleeper, "sleeper");
            return new MistralDrafter(this);
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }

        private static void atLeast(long value, long min, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
            }
        }
    }
}

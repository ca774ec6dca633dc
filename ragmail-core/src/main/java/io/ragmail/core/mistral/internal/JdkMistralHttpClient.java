package io.ragmail.core.mistral.internal;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The langchain4j {@link HttpClient} the Mistral drafter plugs into {@code MistralAiChatModel}: the
 * JDK's {@code java.net.http} client, throwing {@link MistralHttpException} (with {@code Retry-After})
 * for non-2xx answers. Only plain request/response calls are supported; the drafter does not stream.
 *
 * <p>The read timeout is one deadline for the whole exchange, body included: the JDK's
 * {@code HttpRequest.timeout} stops at the response headers, so a server that sends headers and then
 * stalls would otherwise hold a worker for ever. The body is read up to {@link #MAX_RESPONSE_BYTES}.
 */
public final class JdkMistralHttpClient implements HttpClient {

    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "upgrade", "expect");
    private static final int MAX_ERROR_BODY = 2_000;
    /** A chat completion is a few KB; anything near this is not an answer worth reading. */
    public static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final java.net.http.HttpClient client;
    /** Our own, so that {@link #close()} can end its threads: the JDK 17 client has no close(). */
    private final ExecutorService executor;
    private final Duration readTimeout;
    private final Clock clock;

    private JdkMistralHttpClient(Duration connectTimeout, Duration readTimeout, Clock clock) {
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "ragmail-mistral-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
        this.readTimeout = readTimeout;
        this.clock = clock;
    }

    /** A builder langchain4j fills with the model's timeout; {@link #closer} closes what it built. */
    public static HttpClientBuilder builder(Clock clock) {
        return new Builder(clock);
    }

    /**
     * What closes every client {@code builder} (from {@link #builder}) built. Typed so that a class
     * calling it loads no langchain4j type until it runs: the drafter's class must load without the
     * optional Mistral client, to say which artifact is missing.
     */
    public static Runnable closer(HttpClientBuilder builder) {
        Builder ours = (Builder) builder;
        return ours::closeAll;
    }

    /**
     * Ends the client's threads. The JDK client itself can only be closed from Java 21 on (where it
     * is {@link AutoCloseable}); on 17 its selector thread ends once the client is unreachable.
     */
    public void close() {
        executor.shutdownNow();
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing is best effort: the requests it would wait for fail on the stopped executor anyway
            }
        }
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        java.net.http.HttpRequest.Builder jdk = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(readTimeout);
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (RESTRICTED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            for (String value : header.getValue()) {
                jdk.header(header.getKey(), value);
            }
        }
        String body = request.body();
        if (request.method() == HttpMethod.POST) {
            jdk.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        } else if (request.method() == HttpMethod.DELETE) {
            jdk.DELETE();
        } else {
            jdk.GET();
        }
        HttpResponse<String> response = send(jdk.build());
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String errorBody = response.body() == null ? "" : response.body();
            if (errorBody.length() > MAX_ERROR_BODY) {
                errorBody = errorBody.substring(0, MAX_ERROR_BODY);
            }
            Duration retryAfter = response.headers().firstValue("Retry-After")
                    .flatMap(v -> RetryAfter.parse(v, clock)).orElse(null);
            throw new MistralHttpException(status, errorBody, retryAfter);
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(status)
                .headers(response.headers().map())
                .body(response.body())
                .build();
    }

    /** Sends the request and reads the whole answer within {@code readTimeout}, or fails. */
    private HttpResponse<String> send(java.net.http.HttpRequest request) {
        CompletableFuture<HttpResponse<String>> exchange =
                client.sendAsync(request, info -> CappedBodySubscriber.utf8(MAX_RESPONSE_BYTES));
        try {
            return exchange.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new UncheckedIOException(new HttpTimeoutException(
                    "no complete answer within " + readTimeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for Mistral"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException(new IOException(String.valueOf(cause), cause));
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("the Mistral drafter does not stream");
    }

    /** Fills in langchain4j's settings and remembers the clients it built, to close them. */
    private static final class Builder implements HttpClientBuilder {
        private final Clock clock;
        private final List<JdkMistralHttpClient> built = new CopyOnWriteArrayList<>();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);

        Builder(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            if (timeout != null) {
                this.connectTimeout = timeout;
            }
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            if (timeout != null) {
                this.readTimeout = timeout;
            }
            return this;
        }

        @Override
        public HttpClient build() {
            JdkMistralHttpClient client = new JdkMistralHttpClient(connectTimeout, readTimeout, clock);
            built.add(client);
            return client;
        }

        /** Closes every client this builder built. */
        void closeAll() {
            built.forEach(JdkMistralHttpClient::close);
        }
    }
}

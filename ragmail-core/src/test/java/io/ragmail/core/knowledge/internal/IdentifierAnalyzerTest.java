package io.ragmail.core.knowledge.internal;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class IdentifierAnalyzerTest {

    /** The pattern the tokenizer replaced: the reference for what a token is. */
    private static final Pattern OLD_TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:[-./_][\\p{L}\\p{N}]+)*");

    private final Analyzer analyzer = new IdentifierAnalyzer();

    @Test
    void keeps_product_codes_cas_numbers_and_order_numbers_whole_and_drops_plain_words() throws IOException {
        assertThat(tokens("Is ACE-500 (CAS 67-64-1) on order S00042, version 3.5? Thanks"))
                .containsExactly("ace-500", "67-64-1", "s00042", "3.5");
    }

    @Test
    void finds_the_same_identifiers_as_the_pattern_it_replaced_on_generated_text() throws IOException {
        Random random = new Random(42);
        String alphabet = "aZ9-._/ é0x-- ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(30);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(tokens(text.toString())).as("'%s'", text).isEqualTo(oldTokens(text.toString()));
        }
    }

    @Test
    void a_long_run_of_joined_parts_is_one_bounded_token_in_linear_time() {
        String hostile = "a-".repeat(500_000) + "a";

        // the bound only guards against the old behaviour: a StackOverflowError, or minutes
        List<String> tokens = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> tokens(hostile));

        assertThat(tokens).singleElement().satisfies(t -> assertThat(t).hasSize(IdentifierTokenizer.MAX_TOKEN_CHARS));
    }

    private List<String> tokens(String text) throws IOException {
        List<String> tokens = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        }
        return tokens;
    }

    private static List<String> oldTokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = OLD_TOKEN.matcher(text);
        while (m.find()) {
            String token = m.group().toLowerCase(Locale.ROOT);
            if (IdentifierAnalyzer.isIdentifier(token)) {
                tokens.add(token);
            }
        }
        return tokens;
    }
}

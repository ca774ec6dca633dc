package io.ragmail.core.knowledge.internal;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;


/**
 * Keeps identifiers whole: product codes ({@code ACE-500}), CAS numbers ({@code 67-64-1}), order
 * numbers ({@code S00042}), versions ({@code 3.5}). The standard analyzer splits {@code ACE-500} into
 * {@code ace} and {@code 500}; this one emits {@code ace-500} as one token and drops plain words
 * (which the standard analyzer already covers), so an identifier match is a strong, separate signal.
 */
public final class IdentifierAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        IdentifierTokenizer tokenizer = new IdentifierTokenizer();
        TokenStream stream = new LowerCaseFilter(tokenizer);
        stream = new IdentifierOnlyFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
    }

    /** True when a token looks like an identifier rather than a plain word. */
    static boolean isIdentifier(CharSequence term) {
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '-' || c == '.' || c == '/' || c == '_') {
                return true;
            }
            if (Character.isDigit(c)) {
                digit = true;
            } else if (Character.isLetter(c)) {
                letter = true;
            }
        }
        return letter && digit;
    }

    private static final class IdentifierOnlyFilter extends FilteringTokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

        IdentifierOnlyFilter(TokenStream in) {
            super(in);
        }

        @Override
        protected boolean accept() {
            return isIdentifier(term);
        }
    }
}

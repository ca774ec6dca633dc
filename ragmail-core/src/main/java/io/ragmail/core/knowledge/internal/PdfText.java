package io.ragmail.core.knowledge.internal;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The text layer of a PDF file, through PDFBox. PDFBox is an optional dependency of ragmail-core: only
 * the nested {@code PdfBox} class touches it (a class is linked, and its catch types loaded, only when
 * first used), and {@link #isAvailable()} says whether it is on the class path.
 */
public final class PdfText {

    /** The dependency to add for PDF support. */
    public static final String ARTIFACT = "org.apache.pdfbox:pdfbox";

    private static final String PROBE_CLASS = "org.apache.pdfbox.Loader";

    private PdfText() {
    }

    /** Whether PDFBox is on the class path. */
    public static boolean isAvailable() {
        try {
            Class.forName(PROBE_CLASS, false, PdfText.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The document's title (when it has one) and its text. */
    public record Extracted(Optional<String> title, String text) {
    }

    /** A PDF whose text cannot be read, with the reason as message. */
    public static final class UnreadableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Reads {@code file}; call only when {@link #isAvailable()}. */
    public static Extracted read(Path file) throws UnreadableException {
        return PdfBox.read(file);
    }

    private static final class PdfBox {

        static Extracted read(Path file) throws UnreadableException {
            try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
                if (pdf.isEncrypted() && !pdf.getCurrentAccessPermission().canExtractContent()) {
                    throw new UnreadableException("encrypted PDF that forbids text extraction");
                }
                String title = pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
                String text = new PDFTextStripper().getText(pdf);
                return new Extracted(Optional.ofNullable(title).map(String::strip).filter(t -> !t.isEmpty()), text);
            } catch (InvalidPasswordException e) {
                throw new UnreadableException("encrypted PDF (needs a password)");
            } catch (IOException e) {
                throw new UnreadableException("not a readable PDF: " + e.getClass().getSimpleName());
            } catch (RuntimeException e) {
                throw new UnreadableException("PDF text extraction failed: " + e.getClass().getSimpleName());
            }
        }
    }
}

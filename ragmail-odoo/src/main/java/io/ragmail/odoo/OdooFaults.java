package io.ragmail.odoo;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.RagmailException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an Odoo fault (code and fault string, as Odoo 16 or an older Odoo sends it) into a typed
 * ragmail exception. Classification reads Odoo's own text: the code, and for code 1 the last line of
 * the traceback, {@code ExceptionClass: message}. Secrets are removed from every message.
 */
final class OdooFaults {

    private static final Pattern LAST_LINE = Pattern.compile("^([A-Za-z_][\\w.]*(?:Error|Exception|Denied|Warning|Fault|KeyError)?):\\s?(.*)$", Pattern.DOTALL);
    private static final Pattern UNKNOWN_MODEL = Pattern.compile("Object ([\\w.]+) doesn't exist");
    private static final Pattern INVALID_FIELD_LEAF = Pattern.compile("Invalid field ([\\w.]+?)\\.(\\w+) in leaf");
    private static final Pattern INVALID_FIELD_ON_MODEL = Pattern.compile("Invalid field '?(\\w+)'? on model '?([\\w.]+)'?");
    private static final Pattern UNKNOWN_METHOD = Pattern.compile("The method '(\\w+)' does not exist on the model '([\\w.]+)'");
    private static final Pattern UNKNOWN_FIELD_READ = Pattern.compile("(?:Invalid field|Unknown field)[^\\w]*'?(\\w+)'?");

    private OdooFaults() {
    }

    static RagmailException classify(int code, String rawCode, String faultString, String model, String secret) {
        String text = redact(faultString == null ? "" : faultString, secret);
        String raw = redact(rawCode == null ? "" : rawCode, secret);
        if (code == -1) {
            return classifyTextCode(raw, text, model);
        }
        switch (code) {
            case 3:
                return credentialsRefused("fault 3: " + firstLine(text));
            case 4:
                return accessDenied(model, firstLine(text), 4, "odoo.exceptions.AccessError");
            case 2: {
                Matcher m = UNKNOWN_MODEL.matcher(text);
                if (m.find()) {
                    return unknownModel(m.group(1), 2);
                }
                // MissingError is a UserError subclass, so Odoo 16 sends it as fault 2 with only its message (pair 151)
                if (text.startsWith("Record does not exist or has been deleted")) {
                    return new OdooMissingRecordException("Odoo record missing" + on(model) + ": " + text.strip().replace('\n', ' '),
                            2, "odoo.exceptions.MissingError");
                }
                return requestRefused(model, firstLine(text), 2, "odoo.exceptions.UserError");
            }
            default:
                return classifyTraceback(code, text, model);
        }
    }

    private static RagmailException classifyTraceback(int code, String text, String model) {
        String last = lastLine(text);
        Matcher lm = LAST_LINE.matcher(last);
        String cls = "";
        String msg = last;
        if (lm.matches() && !last.startsWith("Traceback")) {
            cls = lm.group(1);
            msg = lm.group(2).trim();
        }
        String simple = cls.contains(".") ? cls.substring(cls.lastIndexOf('.') + 1) : cls;
        Matcher f = INVALID_FIELD_LEAF.matcher(msg);
        if (f.find()) {
            return new OdooConfigurationException("Odoo model '" + f.group(1) + "' has no field '" + f.group(2) + "'",
                    f.group(1), f.group(2), code);
        }
        Matcher fm = INVALID_FIELD_ON_MODEL.matcher(msg);
        if (fm.find()) {
            return new OdooConfigurationException("Odoo model '" + fm.group(2) + "' has no field '" + fm.group(1) + "'",
                    fm.group(2), fm.group(1), code);
        }
        Matcher um = UNKNOWN_METHOD.matcher(msg);
        if (um.find()) {
            return new OdooConfigurationException("Odoo model '" + um.group(2) + "' has no method '" + um.group(1) + "'",
                    um.group(2), um.group(1), code);
        }
        Matcher mm = UNKNOWN_MODEL.matcher(msg);
        if (mm.find()) {
            return unknownModel(mm.group(1), code);
        }
        if ("OperationalError".equals(simple) && msg.contains("database \"") && msg.contains("does not exist")) {
            return new OdooConfigurationException("Odoo database does not exist: " + firstLine(msg), null, null, code);
        }
        switch (simple) {
            case "AccessDenied":
                return credentialsRefused(msg);
            case "AccessError":
                return accessDenied(model, firstLine(msg), code, cls);
            case "MissingError":
                return new OdooMissingRecordException("Odoo record missing" + on(model) + ": " + firstLine(msg), code, cls);
            case "UserError", "ValidationError", "Warning", "RedirectWarning", "except_orm":
                return requestRefused(model, firstLine(msg), code, cls);
            case "OperationalError", "InterfaceError", "SerializationFailure", "PoolError", "ConnectionError":
                return new OdooUnavailableException("Odoo's database is unavailable: " + firstLine(msg), code, cls);
            default:
                return new OdooServerException("Odoo server error" + on(model) + ": " + (cls.isEmpty() ? "" : cls + ": ") + firstLine(msg), code, cls);
        }
    }

    /** Odoo 8-10 sent faultCode as text (the exception message, or {@code "warning -- …"}). */
    private static RagmailException classifyTextCode(String raw, String text, String model) {
        String all = raw + "\n" + text;
        String lower = all.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("access denied") || lower.contains("accessdenied")) {
            return credentialsRefused(firstLine(raw));
        }
        if (lower.contains("accesserror") || lower.startsWith("access error") || lower.contains("not allowed to access")) {
            return accessDenied(model, firstLine(raw), -1, "AccessError");
        }
        if (lower.startsWith("warning --") || lower.contains("usererror") || lower.contains("validationerror")) {
            return requestRefused(model, firstLine(raw), -1, "UserError");
        }
        if (text.contains("Traceback")) {
            RagmailException fromTrace = classifyTraceback(-1, text, model);
            if (!(fromTrace instanceof OdooServerException)) {
                return fromTrace;
            }
        }
        Matcher mm = UNKNOWN_MODEL.matcher(all);
        if (mm.find()) {
            return unknownModel(mm.group(1), -1);
        }
        return new OdooServerException("Odoo server error" + on(model) + ": " + firstLine(raw.isEmpty() ? lastLine(text) : raw), -1, "");
    }

    private static AuthenticationException credentialsRefused(String detail) {
        return new AuthenticationException("odoo", "Odoo refused ragmail's credentials (" + detail + ")");
    }

    private static OdooAccessException accessDenied(String model, String detail, int code, String odooClass) {
        return new OdooAccessException("Odoo denied access" + on(model) + ": " + detail, code, odooClass);
    }

    private static OdooUserErrorException requestRefused(String model, String detail, int code, String odooClass) {
        return new OdooUserErrorException("Odoo refused the request" + on(model) + ": " + detail, code, odooClass);
    }

    private static OdooConfigurationException unknownModel(String model, int code) {
        return new OdooConfigurationException("Odoo has no model '" + model + "' (is its module installed?)", model, null, code);
    }

    static String redact(String text, String secret) {
        if (secret == null || secret.isEmpty() || text == null) {
            return text;
        }
        return text.replace(secret, "****");
    }

    private static String on(String model) {
        return model == null ? "" : " on " + model;
    }

    static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        String line = nl < 0 ? t : t.substring(0, nl).strip();
        return line.length() > 500 ? line.substring(0, 500) + "…" : line;
    }

    static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        // the final "Class: message" may span several lines (a psycopg2 message does): start at the last
        // line that does not begin with whitespace and is not a frame line
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i];
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && LAST_LINE.matcher(line).matches()) {
                StringBuilder sb = new StringBuilder(line);
                for (int j = i + 1; j < lines.length; j++) {
                    sb.append('\n').append(lines[j]);
                }
                return sb.toString();
            }
        }
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}

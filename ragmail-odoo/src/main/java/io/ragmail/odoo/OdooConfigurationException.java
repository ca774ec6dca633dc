package io.ragmail.odoo;

import io.ragmail.core.NonRetriableException;
import java.util.Optional;

/**
 * ragmail asked Odoo for a model, field or method that does not exist there: a module is not
 * installed or the configuration names a wrong field. Names what is missing.
 *
 * <pre>{@code
 * catch (OdooConfigurationException e) { log.error("fix ragmail.odoo sync config: model={} field={}", e.model(), e.field()); }
 * }</pre>
 */
public class OdooConfigurationException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    private final String model;
    private final String field;
    private final int faultCode;

    public OdooConfigurationException(String message, String model, String field, int faultCode) {
        super("odoo", message);
        this.model = model;
        this.field = field;
        this.faultCode = faultCode;
    }

    /** The model that is missing or that lacks the field. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** The missing field or method, when a field or method was the problem. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public int faultCode() {
        return faultCode;
    }
}

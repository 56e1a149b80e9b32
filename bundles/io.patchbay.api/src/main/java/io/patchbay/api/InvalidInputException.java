package io.patchbay.api;

/** Input that Patchbay refuses, with the field and the value that are wrong. */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final transient Object value;

    public InvalidInputException(String field, Object value, String problem) {
        super(field + ": " + problem + (value == null ? "" : " (was '" + value + "')"));
        this.field = field;
        this.value = value;
    }

    /** The name of the field at fault, as the API spells it. */
    public String field() {
        return field;
    }

    /** The value that was refused; may be null. */
    public Object value() {
        return value;
    }
}

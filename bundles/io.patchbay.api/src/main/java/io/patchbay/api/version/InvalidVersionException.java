package io.patchbay.api.version;

/** A version string that its scheme cannot read. */
public class InvalidVersionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String scheme;
    private final String version;

    public InvalidVersionException(String scheme, String version, String problem) {
        super("'" + version + "' is not a valid " + scheme + " version: " + problem);
        this.scheme = scheme;
        this.version = version;
    }

    public String scheme() {
        return scheme;
    }

    public String version() {
        return version;
    }
}

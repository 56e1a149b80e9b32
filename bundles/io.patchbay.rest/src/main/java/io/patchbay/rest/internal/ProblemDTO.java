package io.patchbay.rest.internal;

/** An RFC 9457 problem detail, the body of every error the API returns. */
public class ProblemDTO {
    public static final String MEDIA_TYPE = "application/problem+json";

    public String type = "about:blank";
    public String title;
    public int status;
    public String detail;
    public String instance;
    /** The request field at fault, when one is. */
    public String field;
}

package io.patchbay.api.catalog;

/** A catalog as Patchbay sees it. */
public class CatalogDTO {
    public String id;
    public String name;
    /** Number of applications it offers, or -1 when it could not be read. */
    public int applications;
    /** Why it could not be read, or null. */
    public String problem;
    public String bundle;
    public String bundleVersion;
}

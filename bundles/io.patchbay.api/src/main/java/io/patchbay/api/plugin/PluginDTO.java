package io.patchbay.api.plugin;

/** A plugin jar added to the plugins folder. */
public class PluginDTO {
    /** The Bundle-SymbolicName. */
    public String bundle;
    public String bundleVersion;
    /** Its file in the plugins folder. */
    public String file;
    /** Whether the framework installed it before the answer; otherwise it is installed within seconds. */
    public boolean installed;
}

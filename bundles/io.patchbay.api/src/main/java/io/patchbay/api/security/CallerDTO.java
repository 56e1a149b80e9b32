package io.patchbay.api.security;

/** An authenticated caller: the name its actions are audited under, its role, and for an agent its device. */
public class CallerDTO {
    public String name;
    public Role role;
    /** The device an agent speaks for; null for people and programs with tokens. */
    public String deviceId;
}

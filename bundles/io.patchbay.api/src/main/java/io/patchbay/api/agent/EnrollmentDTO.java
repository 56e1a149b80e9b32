package io.patchbay.api.agent;

/** The answer to an enrollment: the device the machine is, and the secret its agent uses from now on. */
public class EnrollmentDTO {
    public String deviceId;
    /** The device secret (sent as {@code Authorization: Bearer}); shown only here, stored hashed on the server. */
    public String secret;
    /** True when the machine was known already (same hardware id) and kept its device record and history. */
    public boolean reenrolled;
    /**
     * Set when another machine holds a device record with the same hardware id and is still active (a clone): this
     * machine got a record of its own, and both are flagged until an operator resolves it. Says which device.
     */
    public String identityConflict;
    /** Seconds between check-ins, before jitter. */
    public int checkInSeconds;
}

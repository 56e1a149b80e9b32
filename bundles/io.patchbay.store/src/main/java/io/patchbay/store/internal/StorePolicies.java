package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.BlockRules;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.Policies;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.ScheduleDTO;

/** Patch policies in the store, checked field by field before anything is written. */
@Component(service = Policies.class)
public class StorePolicies extends DocumentStore<PolicyDTO> implements Policies {
    static final Set<String> TYPES = Set.of("patch-all", "patch-all-except", "patch-only", "advanced");
    static final Set<String> SEVERITIES = Set.of("critical", "important", "moderate", "low", "unspecified");
    static final Set<String> DAYS = Arrays.stream(DayOfWeek.values()).map(Enum::name).collect(Collectors.toSet());

    @Activate
    public StorePolicies(@Reference Database db, @Reference StoreClock clock) {
        super(Documents.policies(db, clock).guarded((c, p) -> {
        }, StorePolicies::assignedToNoGroup));
    }

    /** Refuses to delete a policy that a group still has. */
    static void assignedToNoGroup(Connection c, String id) throws SQLException {
        for (GroupDTO g : Documents.all(c, "group", GroupDTO.class)) {
            if (g.policyIds != null && g.policyIds.contains(id)) {
                throw new InUseException("policy '" + id + "' is assigned to group '" + g.name
                        + "'; remove it from the group first");
            }
        }
    }

    @Override
    PolicyDTO validate(PolicyDTO p) {
        if (p == null) {
            throw new InvalidInputException("body", null, "a policy is required");
        }
        p.name = Check.required("name", p.name, 200);
        p.description = Check.text("description", p.description, 2000);
        Check.oneOf("type", p.type, TYPES);
        p.exclusions = Check.strings("exclusions", p.exclusions, 1000, 200);
        p.inclusions = Check.strings("inclusions", p.inclusions, 1000, 200);
        if (p.type.equals("patch-all-except") && (p.exclusions == null || p.exclusions.isEmpty())) {
            throw new InvalidInputException("exclusions", p.exclusions, "a patch-all-except policy needs exclusions");
        }
        if (p.type.equals("patch-only") && (p.inclusions == null || p.inclusions.isEmpty())) {
            throw new InvalidInputException("inclusions", p.inclusions, "a patch-only policy needs inclusions");
        }
        if (!p.type.equals("patch-all-except") && p.exclusions != null && !p.exclusions.isEmpty()) {
            throw new InvalidInputException("exclusions", p.exclusions, "only a patch-all-except policy has them");
        }
        if (!p.type.equals("patch-only") && p.inclusions != null && !p.inclusions.isEmpty()) {
            throw new InvalidInputException("inclusions", p.inclusions, "only a patch-only policy has them");
        }
        boolean advanced = p.type.equals("advanced");
        if (!advanced && (p.sources != null || p.severities != null || p.classifications != null
                || p.namePattern != null || p.minAgeDays != null)) {
            throw new InvalidInputException("type", p.type, "filters (sources, severities, classifications, "
                    + "namePattern, minAgeDays) belong to an advanced policy");
        }
        p.sources = Check.strings("sources", p.sources, 50, 64);
        p.severities = Check.eachOneOf("severities", p.severities, SEVERITIES);
        p.classifications = Check.strings("classifications", p.classifications, 50, 64);
        p.namePattern = Check.optional("namePattern", p.namePattern, 200);
        if (p.namePattern != null) {
            BlockRules.glob(p.namePattern);
        }
        if (p.minAgeDays != null) {
            Check.range("minAgeDays", p.minAgeDays, 0, 365);
        }
        schedule(p.schedule);
        Check.range("maxDeferrals", p.maxDeferrals, 0, 10);
        Check.range("deferralHours", p.deferralHours, 0, 168);
        if (p.maxDeferrals > 0 && p.deferralHours == 0) {
            throw new InvalidInputException("deferralHours", 0, "must be at least 1 when deferrals are allowed");
        }
        return p;
    }

    static void schedule(ScheduleDTO s) {
        if (s == null) {
            throw new InvalidInputException("schedule", null, "is required");
        }
        Check.oneOf("schedule.frequency", s.frequency, Set.of("weekly", "monthly"));
        if (s.frequency.equals("weekly")) {
            if (s.daysOfWeek == null || s.daysOfWeek.isEmpty()) {
                throw new InvalidInputException("schedule.daysOfWeek", s.daysOfWeek, "a weekly schedule needs days");
            }
            s.daysOfWeek = Check.eachOneOf("schedule.daysOfWeek", s.daysOfWeek, DAYS);
            Check.noDuplicates("schedule.daysOfWeek", s.daysOfWeek);
            if (s.weekOfMonth != null || s.dayOfWeek != null || s.offsetDays != 0) {
                throw new InvalidInputException("schedule.frequency", s.frequency,
                        "weekOfMonth, dayOfWeek and offsetDays belong to a monthly schedule");
            }
        } else {
            if (s.weekOfMonth == null || !(s.weekOfMonth == -1 || s.weekOfMonth >= 1 && s.weekOfMonth <= 4)) {
                throw new InvalidInputException("schedule.weekOfMonth", s.weekOfMonth, "must be 1 to 4, or -1 for the last");
            }
            Check.oneOf("schedule.dayOfWeek", s.dayOfWeek, DAYS);
            Check.range("schedule.offsetDays", s.offsetDays, 0, 27);
            if (s.daysOfWeek != null && !s.daysOfWeek.isEmpty()) {
                throw new InvalidInputException("schedule.daysOfWeek", s.daysOfWeek, "belongs to a weekly schedule");
            }
        }
        if (s.time == null || !s.time.matches("\\d\\d:\\d\\d")) {
            throw new InvalidInputException("schedule.time", s.time, "must be HH:mm, e.g. 02:30");
        }
        try {
            LocalTime.parse(s.time);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("schedule.time", s.time, "is not a time of day");
        }
        Check.oneOf("schedule.timeZone", s.timeZone, Set.of("device", "UTC"));
        Check.range("schedule.windowMinutes", s.windowMinutes, 15, 1440);
    }
}

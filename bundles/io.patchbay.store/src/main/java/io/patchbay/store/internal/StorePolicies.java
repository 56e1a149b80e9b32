package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.patchbay.api.BlockRules;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.Policies;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.Classification;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.PolicyType;
import io.patchbay.api.dto.ScheduleDTO;
import io.patchbay.api.dto.Severity;
import io.patchbay.api.dto.SourceDTO;

/** Patch policies in the store, checked field by field before anything is written. */
@Component(service = Policies.class)
public class StorePolicies extends DocumentStore<PolicyDTO> implements Policies {
    static final Set<String> DAYS = Arrays.stream(DayOfWeek.values()).map(Enum::name).collect(Collectors.toSet());

    // optional: without the registry no source is present, and a policy naming one is refused
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Sources sources;

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
        PolicyType type = Check.vocabulary("type", p.type, PolicyType::from, PolicyType.allowed());
        p.exclusions = Check.strings("exclusions", p.exclusions, 1000, 200);
        p.inclusions = Check.strings("inclusions", p.inclusions, 1000, 200);
        if (type == PolicyType.PATCH_ALL_EXCEPT && (p.exclusions == null || p.exclusions.isEmpty())) {
            throw new InvalidInputException("exclusions", p.exclusions, "a patch-all-except policy needs exclusions");
        }
        if (type == PolicyType.PATCH_ONLY && (p.inclusions == null || p.inclusions.isEmpty())) {
            throw new InvalidInputException("inclusions", p.inclusions, "a patch-only policy needs inclusions");
        }
        if (type != PolicyType.PATCH_ALL_EXCEPT && p.exclusions != null && !p.exclusions.isEmpty()) {
            throw new InvalidInputException("exclusions", p.exclusions, "only a patch-all-except policy has them");
        }
        if (type != PolicyType.PATCH_ONLY && p.inclusions != null && !p.inclusions.isEmpty()) {
            throw new InvalidInputException("inclusions", p.inclusions, "only a patch-only policy has them");
        }
        boolean advanced = type == PolicyType.ADVANCED;
        if (!advanced && (p.sources != null || p.severities != null || p.classifications != null
                || p.namePattern != null || p.minAgeDays != null)) {
            throw new InvalidInputException("type", p.type, "filters (sources, severities, classifications, "
                    + "namePattern, minAgeDays) belong to an advanced policy");
        }
        p.sources = Check.strings("sources", p.sources, 50, 64);
        Check.noDuplicates("sources", p.sources);
        knownSources(p.sources);
        p.severities = Check.eachVocabulary("severities", p.severities, 50, Severity::from, Severity.allowed());
        p.classifications = Check.eachVocabulary("classifications", p.classifications, 50, Classification::from,
                Classification.allowed());
        p.namePattern = Check.optional("namePattern", p.namePattern, 200);
        if (p.namePattern != null) {
            Check.glob("namePattern", p.namePattern);
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

    /**
     * Each name is the type or the instance id of a source present now: a typo would otherwise select nothing, with
     * no one told why.
     */
    void knownSources(java.util.List<String> names) {
        if (names == null || names.isEmpty()) {
            return;
        }
        Sources registry = sources;
        Set<String> known = new TreeSet<>();
        for (SourceDTO s : registry == null ? java.util.List.<SourceDTO>of() : registry.sources()) {
            known.add(s.type);
            known.add(s.id);
        }
        for (int i = 0; i < names.size(); i++) {
            if (!known.contains(names.get(i))) {
                throw new InvalidInputException("sources[" + i + "]", names.get(i), "is neither the type nor the id "
                        + "of a source present now; must be one of " + known);
            }
        }
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

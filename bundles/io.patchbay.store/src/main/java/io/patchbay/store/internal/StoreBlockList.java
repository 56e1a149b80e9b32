package io.patchbay.store.internal;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.BlockList;
import io.patchbay.api.BlockRules;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.version.VersionSchemes;

/** The block list in the store; it outranks the in-memory one of the core. */
@Component(service = BlockList.class, property = "service.ranking:Integer=0")
public class StoreBlockList implements BlockList {
    private final Documents<BlockRuleDTO> docs;
    private final Clock clock;

    @Activate
    public StoreBlockList(@Reference Database db, @Reference StoreClock clock) {
        this.docs = Documents.blockRules(db, clock);
        this.clock = clock;
    }

    @Override
    public List<BlockRuleDTO> rules() {
        return docs.all().stream().sorted(Comparator.comparing((BlockRuleDTO r) -> r.createdAt)).toList();
    }

    /** Adds a rule, audited under its {@code createdBy}: the caller stamps that with who asks. */
    @Override
    public BlockRuleDTO add(BlockRuleDTO rule) {
        BlockRules.validate(rule);
        // a rule may name a source type not installed yet (sources are hot-deployed), but only a well-formed one
        rule.sourceType = Check.optional("sourceType", rule.sourceType, 64);
        if (rule.sourceType != null) {
            Check.identifier("sourceType", rule.sourceType);
        }
        rule.updateId = Check.optional("updateId", rule.updateId, 255);
        rule.namePattern = Check.optional("namePattern", rule.namePattern, 500);
        if (rule.namePattern != null) {
            Check.glob("namePattern", rule.namePattern);
        }
        rule.versionRange = Check.optional("versionRange", rule.versionRange, 500);
        rule.versionScheme = Check.optional("versionScheme", rule.versionScheme, 32);
        if (rule.versionScheme != null && !VersionSchemes.names().contains(rule.versionScheme)) {
            // a scheme without a range is never used, so a typo there would pass unnoticed
            throw new InvalidInputException("versionScheme", rule.versionScheme, "must be one of "
                    + VersionSchemes.names());
        }
        rule.createdBy = Check.optional("createdBy", rule.createdBy, 255);
        rule.reason = Check.text("reason", rule.reason, 2000);
        rule.createdAt = clock.instant();
        return docs.create(rule, rule.createdBy);
    }

    @Override
    public boolean remove(String id) {
        return remove(id, null);
    }

    @Override
    public boolean remove(String id, String actor) {
        try {
            // rules are never edited: every rule is at version 1
            docs.delete(id, 1, actor);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}

package io.patchbay.core.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.patchbay.api.BlockList;
import io.patchbay.api.BlockRules;
import io.patchbay.api.dto.BlockRuleDTO;

/**
 * The block list held in memory, for a server without a store. A store's persistent block list outranks it.
 */
@Component(service = BlockList.class, property = Constants.SERVICE_RANKING + ":Integer=-100")
public class MemoryBlockList implements BlockList {
    private final Map<String, BlockRuleDTO> rules = new ConcurrentHashMap<>();

    // dynamic, so that a higher-ranked clock is taken without restarting this and losing the rules
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    @Override
    public List<BlockRuleDTO> rules() {
        return rules.values().stream().sorted((a, b) -> a.createdAt.compareTo(b.createdAt)).toList();
    }

    @Override
    public BlockRuleDTO add(BlockRuleDTO rule) {
        BlockRules.validate(rule);
        BlockRuleDTO r = new BlockRuleDTO();
        r.id = UUID.randomUUID().toString();
        r.sourceType = rule.sourceType;
        r.updateId = rule.updateId;
        r.namePattern = rule.namePattern;
        r.versionRange = rule.versionRange;
        r.versionScheme = rule.versionScheme;
        r.reason = rule.reason;
        r.createdBy = rule.createdBy;
        r.createdAt = clock.instant();
        rules.put(r.id, r);
        return r;
    }

    @Override
    public boolean remove(String id) {
        return rules.remove(id) != null;
    }
}

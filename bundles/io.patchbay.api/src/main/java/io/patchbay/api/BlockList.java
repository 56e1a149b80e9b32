package io.patchbay.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.UpdateDTO;

/**
 * The rules that forbid installing updates. The core consults it before a source installs anything and again on the
 * source's results; a source cannot opt out.
 */
@ProviderType
public interface BlockList {
    List<BlockRuleDTO> rules();

    /**
     * Adds a rule; the id and creation time are assigned.
     *
     * @throws InvalidInputException when the rule sets no criterion or a pattern is malformed
     */
    BlockRuleDTO add(BlockRuleDTO rule);

    /** @return false when there was no such rule */
    boolean remove(String id);

    /**
     * Removes a rule on behalf of {@code actor}, for the audit log; lists that keep no audit log ignore the actor.
     *
     * @return false when there was no such rule
     */
    default boolean remove(String id, String actor) {
        return remove(id);
    }

    /** The first rule that forbids the update, if any. */
    default Optional<BlockRuleDTO> match(UpdateDTO update) {
        return rules().stream().filter(r -> BlockRules.matches(r, update)).findFirst();
    }
}

package io.patchbay.agent.internal;

import java.util.List;

import io.patchbay.api.BlockList;
import io.patchbay.api.dto.BlockRuleDTO;

/**
 * The server's block list on the device, as the last check-in gave it: the core enforces it before a source installs
 * anything and on the source's results, and the server checks the results again. Registered above the core's
 * in-memory list; rules are changed on the server only.
 */
final class AgentBlockList implements BlockList {
    private volatile List<BlockRuleDTO> rules = List.of();

    void set(List<BlockRuleDTO> fromServer) {
        rules = fromServer == null ? List.of() : List.copyOf(fromServer);
    }

    @Override
    public List<BlockRuleDTO> rules() {
        return rules;
    }

    @Override
    public BlockRuleDTO add(BlockRuleDTO rule) {
        throw new UnsupportedOperationException("a device's block list comes from the server: add rules there");
    }

    @Override
    public boolean remove(String id) {
        throw new UnsupportedOperationException("a device's block list comes from the server: remove rules there");
    }
}

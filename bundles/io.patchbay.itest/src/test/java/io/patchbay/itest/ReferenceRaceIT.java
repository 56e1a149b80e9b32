package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deletes of a group or policy raced over HTTP against creates that refer to it: either the delete wins and every
 * create is refused, or a create wins and the delete is refused; never a child of a parent that is gone.
 */
class ReferenceRaceIT {
    private static final int ROUNDS = 15;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(5);

    @BeforeAll
    static void ready() throws Exception {
        StoreIT.ready();
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    @Test
    void aDeviceIsNeverCreatedInAGroupWhoseDeleteAnswered204() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Http.Answer created = Http.post("/groups", "{\"name\":\"" + StoreIT.unique("race") + "\"}");
            assertEquals(201, created.status(), created.body());
            String g = created.json().get("id").asText();
            List<Callable<Http.Answer>> work = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                work.add(() -> StoreIT.delete("/groups/" + g, "*"));
            }
            for (int i = 0; i < 2; i++) {
                String device = "{\"hostname\":\"race-" + round + "-" + i + "\",\"osFamily\":\"linux\","
                        + "\"timeZone\":\"UTC\",\"groupId\":\"" + g + "\"}";
                work.add(() -> Http.post("/devices", device));
            }
            List<Http.Answer> answers = race(work);
            List<Integer> deletes = answers.subList(0, 3).stream().map(Http.Answer::status).toList();
            List<Integer> creates = answers.subList(3, 5).stream().map(Http.Answer::status).toList();
            String round_ = "round " + round + ": deletes " + deletes + ", creates " + creates;
            boolean deleted = deletes.contains(204);
            assertEquals(deleted ? 404 : 200, Http.get("/groups/" + g).status(), round_);
            assertTrue(deletes.stream().filter(s -> s == 204).count() <= 1, round_);
            assertTrue(deletes.stream().allMatch(s -> Set.of(204, 404, 409, 412).contains(s)), round_);
            assertTrue(creates.stream().allMatch(s -> s == 201 || s == 400), round_);
            if (deleted) {
                assertFalse(creates.contains(201), "a device in a deleted group, " + round_);
                assertFalse(deletes.contains(409), "a group in use was deleted, " + round_);
            }
            for (Http.Answer a : answers.subList(3, 5)) {
                if (a.status() == 201) {
                    String id = a.json().get("id").asText();
                    // the device can be saved again as it is: its group is there
                    Http.Answer again = StoreIT.put("/devices/" + id, "*", a.body());
                    assertEquals(200, again.status(), again.body());
                } else {
                    assertTrue(a.body().contains("groupId"), a.body());
                }
            }
        }
    }

    @Test
    void aGroupIsNeverCreatedWithAPolicyWhoseDeleteAnswered204() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Http.Answer created = Http.post("/policies", StoreIT.policyJson(StoreIT.unique("race")));
            assertEquals(201, created.status(), created.body());
            String p = created.json().get("id").asText();
            List<Callable<Http.Answer>> work = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                work.add(() -> StoreIT.delete("/policies/" + p, "*"));
            }
            for (int i = 0; i < 2; i++) {
                String group = "{\"name\":\"" + StoreIT.unique("race") + "\",\"policyIds\":[\"" + p + "\"]}";
                work.add(() -> Http.post("/groups", group));
            }
            List<Http.Answer> answers = race(work);
            List<Integer> deletes = answers.subList(0, 3).stream().map(Http.Answer::status).toList();
            List<Integer> creates = answers.subList(3, 5).stream().map(Http.Answer::status).toList();
            String round_ = "round " + round + ": deletes " + deletes + ", creates " + creates;
            boolean deleted = deletes.contains(204);
            assertEquals(deleted ? 404 : 200, Http.get("/policies/" + p).status(), round_);
            assertTrue(deletes.stream().filter(s -> s == 204).count() <= 1, round_);
            assertTrue(deletes.stream().allMatch(s -> Set.of(204, 404, 409, 412).contains(s)), round_);
            assertTrue(creates.stream().allMatch(s -> s == 201 || s == 400), round_);
            if (deleted) {
                assertFalse(creates.contains(201), "a group with a deleted policy, " + round_);
                assertFalse(deletes.contains(409), "a policy in use was deleted, " + round_);
            }
            for (Http.Answer a : answers.subList(3, 5)) {
                if (a.status() == 201) {
                    for (var policyId : a.json().get("policyIds")) {
                        assertEquals(200, Http.get("/policies/" + policyId.asText()).status(), round_);
                    }
                } else {
                    assertTrue(a.body().contains("policyIds"), a.body());
                }
            }
        }
    }

    /** Sends the requests all at once and returns each one's answer, in order. */
    private static List<Http.Answer> race(List<Callable<Http.Answer>> work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(work.size());
        List<Future<Http.Answer>> futures = new ArrayList<>();
        for (Callable<Http.Answer> w : work) {
            futures.add(POOL.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return w.call();
            }));
        }
        List<Http.Answer> out = new ArrayList<>();
        for (Future<Http.Answer> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }
}

import { describe, expect, it } from "vitest";
import { namesUsedBy } from "./support/docker-names.ts";
import { ROOT } from "./support/workspace.ts";

describe("namesUsedBy", () => {
  it("reads container, network and volume names, and published ports, from docker commands", () => {
    const names = namesUsedBy(
      [
        "docker network create my-network",
        "docker volume create --driver local shared-volume",
        "docker run --rm --name listener --network my-network -v shared-volume:/data -t gps-workshop/lab01-node",
        "docker run --rm --network=none -v ./here:/data --name=reader gps-workshop/lab01-node node dist/reader.js",
        "docker run --rm --name redis -p 6379:6379 redis:7-bookworm",
        "curl -s http://localhost:8000/vehicles | head",
      ],
      ROOT,
    );
    expect(names.containers).toEqual(new Set(["listener", "reader", "redis"]));
    expect(names.networks).toEqual(new Set(["my-network"]));
    expect(names.volumes).toEqual(new Set(["shared-volume"]));
    expect(names.ports).toEqual(new Set([6379, 8000]));
    expect(names.projects).toEqual(new Set());
  });

  it("reads the compose project from the compose file's name, or from -p, and the ports it publishes", () => {
    const names = namesUsedBy(
      [
        "docker compose -f docker-compose-rest.yml up --build -d",
        "docker compose -f docker-compose-simplest.yml -f docker-compose-simplest.socat.yml down",
        "docker compose -p mine -f docker-compose-pubsub.yml ps",
      ],
      ROOT,
    );
    expect(names.projects).toEqual(new Set(["lab02-rest", "lab01-simplest", "mine"]));
    expect(names.ports).toEqual(new Set([8000, 8501, 8502]));
  });

  it("reads the images the commands build: docker build's tag, the compose services that build, npm start's", () => {
    const built = (command: string) => [...namesUsedBy([command], ROOT).images].sort();
    expect(built("docker build -t gps-workshop/lab03-pubsub:v2 -f labs/03-pubsub/Dockerfile .")).toEqual([
      "gps-workshop/lab03-pubsub",
    ]);
    expect(built("docker compose -f docker-compose-pubsub.yml up --build -d")).toEqual([
      "gps-workshop/lab03-proxy",
      "gps-workshop/lab03-pubsub",
    ]);
    expect(built("npm start")).toEqual([
      "gps-workshop/lab02-rest",
      "gps-workshop/lab03-proxy",
      "gps-workshop/lab03-pubsub",
    ]);
    expect(built("docker run --rm --name redis -p 6379:6379 redis:7-bookworm")).toEqual([]);
  });

  it("notes swarm mode when a command turns it on, and only then", () => {
    expect(namesUsedBy(["docker swarm init", "npm run swarm:up"], ROOT).swarmMode).toBe(true);
    expect(namesUsedBy(["npm run swarm:up", "docker swarm leave --force"], ROOT).swarmMode).toBe(false);
  });

  it("finds nothing in commands that use no Docker names", () => {
    const names = namesUsedBy(
      ["npm ci", "npm run test:unit", "npm run replay -- shared/data/bike-campus.csv --speed 10"],
      ROOT,
    );
    expect(
      [names.containers, names.networks, names.volumes, names.projects, names.ports, names.images].map(
        (set) => set.size,
      ),
    ).toEqual([0, 0, 0, 0, 0, 0]);
    expect(names.swarmMode).toBe(false);
  });
});

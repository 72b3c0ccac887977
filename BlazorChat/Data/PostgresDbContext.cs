using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Data;

/// <summary>
/// The same model on PostgreSQL. A type of its own only so that EF Core tells its migrations (Data/Migrations/Postgres)
/// from SQLite's (Data/Migrations): a migration belongs to exactly one context type. The app asks for
/// <see cref="BlazorChatDbContext"/> everywhere; <see cref="BlazorChatDbContextFactory"/> makes this one when
/// Database:Provider is Postgres.
/// </summary>
public sealed class PostgresDbContext(DbContextOptions<BlazorChatDbContext> options) : BlazorChatDbContext(options);

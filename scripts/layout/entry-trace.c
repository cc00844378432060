// entry-trace: runs a command under ptrace with a breakpoint on every given function entry and logs each entry the
// first time a process of each role reaches it, in that order. Used to find the code Berth's processes run so the
// build can lay that code out together (see scripts/layout/update-order).
//
// usage: entry-trace ENTRIES OUT -- COMMAND [ARGS...]
//   ENTRIES  hex addresses, one per line, ascending (function entry points of the traced binary)
//   OUT      file the reached entries are appended to: "address role" per line, first reach first, where role is
//            the process's mode (daemon, __monitor, __init or another __mode) or "cli" for any other command line
// Children that run the same binary (fork, vfork, clone, exec of it) are traced too; others are let go at exec.
// Each role records its own entries, so a function both the daemon and the CLI run appears once for each.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kcmp.h>

static uint64_t *entries;
static size_t entry_count;
#define MAX_ROLES 16
static char roles[MAX_ROLES][32];
static unsigned char *reached[MAX_ROLES];
static size_t role_count;
struct task_role { pid_t pid; int role; };
static struct task_role *task_roles;
static size_t task_role_count;
static FILE *out;
static char traced_exe[4096];

// One per address space: which entries still hold a breakpoint there, and the byte it replaced.
struct space { pid_t pid; unsigned char *armed; unsigned char *original; };
static struct space *spaces;
static size_t space_count;

static long find_entry(uint64_t addr)
{
    size_t lo = 0, hi = entry_count;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if (entries[mid] < addr) lo = mid + 1; else hi = mid; }
    return lo < entry_count && entries[lo] == addr ? (long)lo : -1;
}

static int same_vm(pid_t a, pid_t b) { return syscall(SYS_kcmp, a, b, KCMP_VM, 0, 0) == 0; }

static struct space *space_of(pid_t pid)
{
    for (size_t i = 0; i < space_count; i++)
        if (spaces[i].pid == pid) return &spaces[i];
    for (size_t i = 0; i < space_count; i++)
        if (same_vm(spaces[i].pid, pid)) return &spaces[i];
    return NULL;
}

// Forgets what was known about a task that ended, so a later task given the same pid starts afresh.
static void forget(pid_t pid)
{
    for (size_t i = 0; i < space_count; i++)
        if (spaces[i].pid == pid) { free(spaces[i].armed); free(spaces[i].original); spaces[i--] = spaces[--space_count]; }
    for (size_t i = 0; i < task_role_count; i++)
        if (task_roles[i].pid == pid) task_roles[i--] = task_roles[--task_role_count];
}

static struct space *new_space(pid_t pid, const struct space *copy_of)
{
    struct space fresh = { pid, calloc(entry_count, 1), calloc(entry_count, 1) };
    if (copy_of) { memcpy(fresh.armed, copy_of->armed, entry_count); memcpy(fresh.original, copy_of->original, entry_count); }
    spaces = realloc(spaces, (space_count + 1) * sizeof *spaces);  // copy_of points into spaces: it is not used after this
    spaces[space_count] = fresh;
    return &spaces[space_count++];
}

static int is_traced_exe(pid_t pid)
{
    char link[64], exe[4096];
    snprintf(link, sizeof link, "/proc/%d/exe", pid);
    ssize_t n = readlink(link, exe, sizeof exe - 1);
    if (n < 0) return 0;
    exe[n] = 0;
    return strcmp(exe, traced_exe) == 0;
}

// The role of a process: its first argument when it is a mode of the binary ("daemon" or "__name"), else "cli".
static int read_role(pid_t pid)
{
    char path[64], cmdline[4096];
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, cmdline, sizeof cmdline - 1);
    if (fd >= 0) close(fd);
    const char *name = "cli";
    if (n > 0)
    {
        cmdline[n] = 0;
        const char *arg1 = cmdline + strlen(cmdline) + 1;
        if (arg1 < cmdline + n && (strcmp(arg1, "daemon") == 0 || strncmp(arg1, "__", 2) == 0)) name = arg1;
    }
    for (size_t i = 0; i < role_count; i++)
        if (strncmp(roles[i], name, sizeof roles[i] - 1) == 0) return (int)i;
    if (role_count == MAX_ROLES) return 0;
    snprintf(roles[role_count], sizeof roles[role_count], "%s", name);
    reached[role_count] = calloc(entry_count, 1);
    return (int)role_count++;
}

static int role_of(pid_t pid, int refresh)
{
    for (size_t i = 0; i < task_role_count; i++)
        if (task_roles[i].pid == pid) { if (refresh) task_roles[i].role = read_role(pid); return task_roles[i].role; }
    task_roles = realloc(task_roles, (task_role_count + 1) * sizeof *task_roles);
    task_roles[task_role_count] = (struct task_role){ pid, read_role(pid) };
    return task_roles[task_role_count++].role;
}

static int open_mem(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    return open(path, O_RDWR);
}

// Writes an int3 over every entry its role has not reached yet in pid's (freshly exec'd) address space: the code is
// read in one piece, patched, and written back in one piece.
static void arm(pid_t pid)
{
    struct space *s = space_of(pid);
    if (!s || s->pid != pid) s = new_space(pid, NULL);
    memset(s->armed, 0, entry_count);
    unsigned char *done = reached[role_of(pid, 1)];
    int fd = open_mem(pid);
    if (fd < 0) { perror("entry-trace: open mem"); return; }
    uint64_t base = entries[0];
    size_t length = (size_t)(entries[entry_count - 1] - base + 1);
    unsigned char *code = malloc(length);
    if (pread(fd, code, length, (off_t)base) != (ssize_t)length) { perror("entry-trace: read code"); exit(1); }
    for (size_t i = 0; i < entry_count; i++)
    {
        s->original[i] = code[entries[i] - base];
        if (!done[i]) { code[entries[i] - base] = 0xCC; s->armed[i] = 1; }
    }
    if (pwrite(fd, code, length, (off_t)base) != (ssize_t)length) { perror("entry-trace: write code"); exit(1); }
    free(code);
    close(fd);
}

static void on_trap(pid_t pid)
{
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETREGS, pid, 0, &regs) != 0) { ptrace(PTRACE_CONT, pid, 0, SIGTRAP); return; }
    long i = find_entry(regs.rip - 1);
    if (i < 0) { ptrace(PTRACE_CONT, pid, 0, SIGTRAP); return; }
    int role = role_of(pid, 0);
    if (!reached[role][i]) { reached[role][i] = 1; fprintf(out, "%llx %s\n", (unsigned long long)entries[i], roles[role]); }
    struct space *s = space_of(pid);
    if (s && s->armed[i])
    {
        int fd = open_mem(pid);
        if (fd >= 0) { if (pwrite(fd, &s->original[i], 1, (off_t)entries[i]) == 1) s->armed[i] = 0; close(fd); }
    }
    regs.rip -= 1;
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
    ptrace(PTRACE_CONT, pid, 0, 0);
}

static volatile pid_t root;

// SIGTERM and SIGINT sent to the tracer are meant for the command: a daemon under it shuts down as it would alone.
static void forward(int sig) { if (root > 0) kill(root, sig); }

int main(int argc, char **argv)
{
    if (argc < 5 || strcmp(argv[3], "--") != 0) { fprintf(stderr, "usage: entry-trace ENTRIES OUT -- COMMAND [ARGS...]\n"); return 2; }
    FILE *in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 2; }
    size_t cap = 1 << 16;
    entries = malloc(cap * sizeof *entries);
    unsigned long long a;
    while (fscanf(in, "%llx", &a) == 1) { if (entry_count == cap) entries = realloc(entries, (cap *= 2) * sizeof *entries); entries[entry_count++] = a; }
    fclose(in);
    for (size_t i = 1; i < entry_count; i++)
        if (entries[i] <= entries[i - 1]) { fprintf(stderr, "entry-trace: %s must be sorted and without repeats\n", argv[1]); return 2; }
    out = fopen(argv[2], "a");
    if (!out) { perror(argv[2]); return 2; }
    setvbuf(out, NULL, _IOLBF, 0);  // one write per line: several tracers may append to one file
    if (!realpath(argv[4], traced_exe)) { perror(argv[4]); return 2; }

    root = fork();
    if (root == 0)
    {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[4], argv + 4);
        perror(argv[4]);
        _exit(127);
    }
    int status, root_status = 0;
    waitpid(root, &status, 0);  // stopped at exec
    ptrace(PTRACE_SETOPTIONS, root, 0, PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
    arm(root);
    struct sigaction sa = { .sa_handler = forward };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    ptrace(PTRACE_CONT, root, 0, 0);

    pid_t pid;
    while ((pid = waitpid(-1, &status, __WALL)) > 0 || (pid < 0 && errno == EINTR))
    {
        if (pid < 0) continue;
        if (WIFEXITED(status) || WIFSIGNALED(status)) { if (pid == root) root_status = status; forget(pid); continue; }
        if (!WIFSTOPPED(status)) continue;
        int sig = WSTOPSIG(status), event = status >> 16;
        if (sig == SIGTRAP && event != 0)
        {
            if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE)
            {
                unsigned long child;
                ptrace(PTRACE_GETEVENTMSG, pid, 0, &child);
                // A child with its own copy of memory keeps the parent's breakpoints as they were at the fork.
                if (!same_vm(pid, (pid_t)child)) { struct space *p = space_of(pid); new_space((pid_t)child, p); }
                // the child's role is its parent's until it execs
                int role = role_of(pid, 0);
                role_of((pid_t)child, 0);
                for (size_t i = 0; i < task_role_count; i++) if (task_roles[i].pid == (pid_t)child) task_roles[i].role = role;
            }
            else if (event == PTRACE_EVENT_EXEC)
            {
                if (is_traced_exe(pid)) arm(pid);
                else { ptrace(PTRACE_DETACH, pid, 0, 0); continue; }
            }
            ptrace(PTRACE_CONT, pid, 0, 0);
        }
        else if (sig == SIGTRAP) on_trap(pid);
        else if (sig == SIGSTOP) ptrace(PTRACE_CONT, pid, 0, 0);  // a new child's first stop
        else ptrace(PTRACE_CONT, pid, 0, sig);
    }
    fclose(out);
    if (WIFSIGNALED(root_status)) return 128 + WTERMSIG(root_status);
    return WEXITSTATUS(root_status);
}

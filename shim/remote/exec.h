/* execve with SCTP descriptors that are not close-on-exec: the new image
 * (under the preload) holds them, as a fork child does. */
#ifndef SCTPSHIM_REMOTE_EXEC_H
#define SCTPSHIM_REMOTE_EXEC_H

/* The environment the new image gets: envp with SCTPSHIM_HELD naming
 * each descriptor it keeps (malloc'd; free with remote_exec_failed), or
 * envp itself when there are none. */
char **remote_exec_env(char *const envp[]);
/* The exec failed: this image goes on, with env (from remote_exec_env)
 * freed. */
void remote_exec_failed(char **env, char *const envp[]);

#endif
